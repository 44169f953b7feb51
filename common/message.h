// common/message.h — a sentence for the reader, in the reader's language.
//
//   lesson::Text a = lesson::Tr("The lock costs time.");              // translated
//   lesson::Text b = lesson::Format("%d runs lost updates", lost);     // translated, then filled
//   lesson::Text c = lesson::Verbatim(pid_list);                       // never translated
//
// Tr and Format take a string literal: it is the English text (the msgid) and the key
// the translation is looked up by; `po/update.py` finds every such literal with xgettext
// (keywords Tr, Format, Print, Step, PrintError and ABSL_FLAG's help). The format is
// checked against the arguments when the program is compiled (common/format_string.h).
// The translated format is checked again when it is used: a translation whose
// conversions do not fit the arguments (a broken catalog) falls back to the English
// format instead of printing garbage or crashing. msgfmt --check refuses most such
// translations already at build time.
//
// A Text cannot be made from a plain std::string: whatever reaches the reader went
// through Tr, Format or (deliberately) Verbatim, so nothing English slips into Chinese
// output unnoticed.
//
// A text a reader of the other language will see too (an experiment's "work" in its
// JSON, from which //tools:report writes both READMEs) is made in each language:
//
//   lesson::Bilingual work = lesson::InEachLanguage([&] { return lesson::Format(...); });
//   work.in(lesson::CurrentLanguage());   // or work.english, work.chinese
#ifndef COMMON_MESSAGE_H_
#define COMMON_MESSAGE_H_

#include <functional>
#include <string>
#include <string_view>
#include <utility>

#include "absl/strings/str_format.h"
#include "common/format_string.h"
#include "common/i18n.h"

namespace lesson {

class Text {
 public:
  const std::string& str() const { return text_; }
  operator std::string_view() const { return text_; }  // NOLINT: reads as a string
  bool empty() const { return text_.empty(); }

 private:
  explicit Text(std::string text) : text_(std::move(text)) {}
  friend Text Verbatim(std::string text);
  template <typename... Args>
  friend Text Format(FormatString<Args...> format, const Args&... args);

  std::string text_;
};

namespace message_internal {
// `msgid` translated and filled with `args`; the English format if the translation does
// not fit the arguments. `msgid` must be NUL-terminated (a literal is).
std::string FormatTranslated(std::string_view msgid, absl::Span<const absl::FormatArg> args);
// `translated` filled with `args` if it uses every argument once, with conversions that
// fit; else `msgid` filled.
std::string FillTranslation(std::string_view msgid, const char* translated,
                            absl::Span<const absl::FormatArg> args);
// The same without looking up a translation: the English text, filled.
std::string FormatUntranslated(std::string_view format, absl::Span<const absl::FormatArg> args);
}  // namespace message_internal

// Format("%d of %d runs lost updates", lost, runs): translated, then formatted.
template <typename... Args>
Text Format(FormatString<Args...> format, const Args&... args) {
  return Text(message_internal::FormatTranslated(format.text(), {absl::FormatArg(args)...}));
}

// Tr("plain sentence"): translated. (A literal % is written %%, as in Format.)
inline Text Tr(FormatString<> msgid) { return Format(msgid); }

// Text that is not translated: names, numbers, command lines, the tutorial's own lines.
inline Text Verbatim(std::string text) { return Text(std::move(text)); }

// One text in English and in Chinese.
struct Bilingual {
  Text english;
  Text chinese;

  const Text& in(Language language) const {
    return language == Language::kChinese ? chinese : english;
  }
};

// make() called once in English and once in Chinese; the reader's language is restored
// afterwards. It switches the process's language (SetLanguage writes the environment),
// so call it before starting threads, with a make() that only builds the Text.
Bilingual InEachLanguage(const std::function<Text()>& make);

}  // namespace lesson

#endif  // COMMON_MESSAGE_H_
