// common/i18n.h — the reader's language: English or Chinese (中文), with GNU gettext.
//
// Every sentence a lesson prints is written in English in the source (the msgid) and
// translated through the catalog po/zh_CN/*.po, compiled by the build into
// po/locale/zh_CN/LC_MESSAGES/concurrency_lessons.mo and found in the binary's runfiles.
//
// Which language:
//   1. --lang=zh or --lang=en (ParseFlags calls SetLanguage before anything is printed);
//   2. else the environment, as gettext reads it: the first of LANGUAGE, LC_ALL,
//      LC_MESSAGES, LANG that is set and not empty; a value starting with "zh" means
//      Chinese, anything else English.
// It works where no Chinese locale is installed (a fresh container, CI, `bazel test`):
// glibc's gettext follows LANGUAGE whenever the message locale is not plain "C", so in
// Chinese this library sets LC_MESSAGES to the built-in "C.UTF-8" and LANGUAGE to
// "zh_CN", and asks for UTF-8 output. SetLanguage exports LANGUAGE, so child processes
// (a re-executed lesson, a spawned helper) speak the same language as their parent.
//
// A message missing from the catalog, or a catalog that cannot be found, prints in
// English: never an empty line, never a crash.
#ifndef COMMON_I18N_H_
#define COMMON_I18N_H_

#include <optional>
#include <string_view>

namespace lesson {

enum class Language { kEnglish, kChinese };

// "zh" -> kChinese, "en" -> kEnglish; anything else -> nullopt.
std::optional<Language> ParseLanguage(std::string_view value);

// The language chosen from the environment (rule 2 above). `get` reads a variable
// (std::getenv by default); tests pass their own.
Language LanguageFromEnvironment(const char* (*get)(const char*) = nullptr);

// The reader's language: set by SetLanguage, else LanguageFromEnvironment().
Language CurrentLanguage();
inline bool Chinese() { return CurrentLanguage() == Language::kChinese; }

// Chooses the language for this process and its future children.
void SetLanguage(Language language);

// The translation of `msgid` (a NUL-terminated English message) in the reader's
// language; `msgid` itself in English or when the catalog has no translation.
const char* Translate(const char* msgid);

// Where the catalog was found ("" if nowhere): for tests and for --help's last line.
std::string_view CatalogDirectory();

}  // namespace lesson

#endif  // COMMON_I18N_H_
