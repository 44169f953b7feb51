#include "common/lesson.h"

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <functional>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/i18n.h"
#include "common/message.h"
#include "common/trace.h"

namespace lesson {

namespace format_internal {
// Only ever named in a constant expression that fails to compile; never called.
void format_string_does_not_match_its_arguments(const char*) { std::abort(); }
}  // namespace format_internal

namespace message_internal {
namespace {

// Conversions in a format ("%d", "%2$s", "%*d" counts 2), not counting "%%".
int CountConversions(std::string_view format) {
  int count = 0;
  for (size_t i = 0; i + 1 < format.size(); ++i) {
    if (format[i] != '%') continue;
    if (format[i + 1] == '%') {
      ++i;
      continue;
    }
    ++count;
    for (size_t j = i + 1; j < format.size() && std::string_view("sdioxXucfFeEgGaApv").find(format[j]) == std::string_view::npos; ++j) {
      if (format[j] == '*') ++count;
    }
  }
  return count;
}

}  // namespace

std::string FormatUntranslated(std::string_view format, absl::Span<const absl::FormatArg> args) {
  std::string out;
  const absl::string_view spec(format.data(), format.size());  // Debian's Abseil has its own
  if (!absl::FormatUntyped(&out, absl::UntypedFormatSpec(spec), args)) {
    // Unreachable for a format checked at compile time; say so rather than print nothing.
    out = absl::StrCat("[malformed message: ", spec, "]");
  }
  return out;
}

std::string FillTranslation(std::string_view msgid, const char* translated,
                            absl::Span<const absl::FormatArg> args) {
  // Abseil refuses a conversion that does not fit its argument, and a missing argument;
  // an argument the translation never uses it accepts, so count them first: a sentence
  // that drops a number is a wrong translation.
  if (translated != nullptr && CountConversions(translated) == CountConversions(msgid)) {
    std::string out;
    if (absl::FormatUntyped(&out, absl::UntypedFormatSpec(translated), args)) return out;
  }
  return FormatUntranslated(msgid, args);
}

std::string FormatTranslated(std::string_view msgid, absl::Span<const absl::FormatArg> args) {
  const char* translated = Translate(msgid.data());
  if (translated == msgid.data()) return FormatUntranslated(msgid, args);
  return FillTranslation(msgid, translated, args);
}

}  // namespace message_internal

Bilingual InEachLanguage(const std::function<Text()>& make) {
  const Language reader = CurrentLanguage();
  // Restored however make() leaves (it may throw).
  struct Restore {
    Language language;
    ~Restore() { SetLanguage(language); }
  } restore{reader};
  SetLanguage(Language::kEnglish);
  Text english = make();
  SetLanguage(Language::kChinese);
  Text chinese = make();
  return Bilingual{std::move(english), std::move(chinese)};
}

namespace {

void WriteAll(int fd, std::string_view prefix, std::string_view line) {
  std::string buffer;
  buffer.reserve(prefix.size() + line.size() + 1);
  buffer.append(prefix);
  buffer.append(line);
  buffer.push_back('\n');
  const char* data = buffer.data();
  size_t left = buffer.size();
  while (left > 0) {  // A line longer than a pipe's buffer may need several writes.
    ssize_t written = ::write(fd, data, left);
    if (written < 0) {
      if (errno == EINTR) continue;
      return;  // The stream is gone (closed pipe): nothing useful left to do.
    }
    data += written;
    left -= static_cast<size_t>(written);
  }
}

}  // namespace

void WriteLine(std::string_view line) { WriteAll(STDOUT_FILENO, "", line); }

void WriteErrorLine(std::string_view message) {
  // glibc's short program name: argv[0] without its directory.
  WriteAll(STDERR_FILENO, absl::StrFormat("%s: ", program_invocation_short_name), message);
}

void Title(std::string_view chinese, std::string_view english) {
  std::string rule(60, '=');
  WriteLine(rule);
  WriteLine(Chinese() ? std::string(chinese) : absl::StrFormat("%s  (%s)", chinese, english));
  WriteLine(rule);
}

void WriteStep(const Text& heading) {
  trace::Instant(heading.str());  // The steps, as marks on the main thread's timeline.
  WriteLine(absl::StrFormat("\n--- %s", heading.str()));
}

void Notice(const std::vector<Text>& points) {
  WriteLine(absl::StrCat("\n", Tr("What to notice:").str()));
  for (const Text& point : points) WriteLine(absl::StrFormat("  * %s", point.str()));
}

void Notice(std::initializer_list<Text> points) { Notice(std::vector<Text>(points)); }

long ThreadId() { return static_cast<long>(::gettid()); }

}  // namespace lesson
