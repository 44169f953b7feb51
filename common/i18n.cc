#include "common/i18n.h"

#include <libintl.h>
#include <locale.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <mutex>
#include <string>

// GNU gettext's documented way to make it forget the translations it has cached, after
// LANGUAGE changes in a running program (gettext manual, "Being a gettext grok").
extern "C" int _nl_msg_cat_cntr;

namespace lesson {
namespace {

constexpr const char kDomain[] = "concurrency_lessons";
constexpr const char kWorkspace[] = "concurrency_lessons";
// Where the build puts the compiled catalog, relative to the workspace root.
constexpr const char kLocaleDir[] = "po/locale";

// -1: not chosen yet (follow the environment); else a Language.
std::atomic<int> chosen_language{-1};

bool IsFile(const std::string& path) {
  struct stat s;
  return ::stat(path.c_str(), &s) == 0 && S_ISREG(s.st_mode);
}

bool HasCatalog(const std::string& locale_dir) {
  return IsFile(locale_dir + "/zh_CN/LC_MESSAGES/" + kDomain + ".mo");
}

std::string ExecutablePath() {
  char buffer[4096];
  ssize_t n = ::readlink("/proc/self/exe", buffer, sizeof buffer - 1);
  return n > 0 ? std::string(buffer, static_cast<size_t>(n)) : std::string();
}

// The runfiles trees a binary may be running from, in the order Bazel's own runfiles
// libraries try them: the tree named by the environment (bazel run/test set it, and a
// test's children inherit it), the tree beside the binary (bazel-bin/x/y.runfiles), and
// the tree the binary sits in (a lesson run from a test's runfiles).
std::string FindCatalog() {
  if (const char* dir = std::getenv("LESSON_LOCALE_DIR"); dir != nullptr && HasCatalog(dir)) {
    return dir;
  }
  const std::string in_tree = std::string("/") + kWorkspace + "/" + kLocaleDir;
  for (const char* variable : {"RUNFILES_DIR", "TEST_SRCDIR"}) {
    if (const char* root = std::getenv(variable); root != nullptr && *root != '\0') {
      if (HasCatalog(root + in_tree)) return root + in_tree;
    }
  }
  const std::string exe = ExecutablePath();
  if (!exe.empty()) {
    if (HasCatalog(exe + ".runfiles" + in_tree)) return exe + ".runfiles" + in_tree;
    for (size_t end = exe.rfind('/'); end != std::string::npos && end > 0;
         end = exe.rfind('/', end - 1)) {
      const std::string dir = exe.substr(0, end);
      if (dir.size() > 9 && dir.ends_with(".runfiles") && HasCatalog(dir + in_tree)) {
        return dir + in_tree;
      }
    }
  }
  return "";
}

std::once_flag catalog_once;
std::string catalog_dir;

void BindCatalog() {
  std::call_once(catalog_once, [] {
    catalog_dir = FindCatalog();
    if (catalog_dir.empty()) return;
    // Children started with exec (a re-run lesson, an MPI rank) find it the same way.
    ::setenv("LESSON_LOCALE_DIR", catalog_dir.c_str(), 0);
    ::bindtextdomain(kDomain, catalog_dir.c_str());
    ::bind_textdomain_codeset(kDomain, "UTF-8");
  });
}

}  // namespace

std::optional<Language> ParseLanguage(std::string_view value) {
  if (value == "zh") return Language::kChinese;
  if (value == "en") return Language::kEnglish;
  return std::nullopt;
}

Language LanguageFromEnvironment(const char* (*get)(const char*)) {
  if (get == nullptr) get = [](const char* name) -> const char* { return std::getenv(name); };
  for (const char* variable : {"LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"}) {
    const char* value = get(variable);
    if (value == nullptr || *value == '\0') continue;
    return std::string_view(value).starts_with("zh") ? Language::kChinese : Language::kEnglish;
  }
  return Language::kEnglish;
}

Language CurrentLanguage() {
  if (chosen_language.load(std::memory_order_acquire) < 0) {
    // Once, even if several threads ask first: SetLanguage writes the environment.
    static std::once_flag from_environment;
    std::call_once(from_environment, [] {
      if (chosen_language.load(std::memory_order_acquire) < 0) {
        SetLanguage(LanguageFromEnvironment());
      }
    });
  }
  return static_cast<Language>(chosen_language.load(std::memory_order_acquire));
}

void SetLanguage(Language language) {
  if (language == Language::kChinese) {
    BindCatalog();
    // Not "C": glibc ignores LANGUAGE in the plain C locale. C.UTF-8 is built into glibc
    // (2.35 and later), so it exists on every machine, unlike zh_CN.UTF-8.
    if (const char* now = ::setlocale(LC_MESSAGES, nullptr);
        now == nullptr || std::string_view(now) == "C" || std::string_view(now) == "POSIX") {
      ::setlocale(LC_MESSAGES, "C.UTF-8");
    }
    ::setenv("LANGUAGE", "zh_CN", 1);
  } else {
    ::setenv("LANGUAGE", "en", 1);
  }
  ++_nl_msg_cat_cntr;
  chosen_language.store(static_cast<int>(language), std::memory_order_release);
}

const char* Translate(const char* msgid) {
  if (msgid == nullptr || *msgid == '\0' || CurrentLanguage() != Language::kChinese) return msgid;
  BindCatalog();
  if (catalog_dir.empty()) return msgid;
  return ::dgettext(kDomain, msgid);
}

std::string_view CatalogDirectory() {
  BindCatalog();
  return catalog_dir;
}

}  // namespace lesson
