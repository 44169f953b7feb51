// common/lesson.h — how every lesson talks to the reader.
//
// A lesson prints, in order: its tutorial section (Chinese title and English), what it is
// about to do (Step), the live output (Print), and a closing "what to notice" (Notice).
// Everything is in the reader's language (common/i18n.h): Print, Step, PrintError and
// Notice's points are English msgids translated through the catalog, except the lines
// that are the tutorial's own output, which Tutorial prints exactly as the tutorial has
// them, in both languages.
//
// Every function here writes each line with a single write(2) to standard output, never
// through a buffer. That matters for this project: a buffered stream would be copied into
// a forked child and printed twice, and lines from several threads or processes would
// interleave mid-line. One write per line keeps lines whole (up to PIPE_BUF bytes) and
// in the order they happened. Safe to call from any thread and from a forked child.
#ifndef COMMON_LESSON_H_
#define COMMON_LESSON_H_

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_format.h"
#include "common/format_string.h"
#include "common/message.h"

namespace lesson {

// Writes `line` and a newline to standard output in one write(2) call.
void WriteLine(std::string_view line);

// Print(format, args...): the format (checked at compile time) translated, filled, then
// WriteLine.
template <typename... Args>
void Print(FormatString<Args...> format, const Args&... args) {
  WriteLine(Format(format, args...));
}

// Tutorial(format, args...): one of the tutorial's own printed lines ("我是主进程，PID是%s"),
// never translated, so the reader can hold it against the tutorial in either language.
template <typename... Args>
void Tutorial(FormatString<Args...> format, const Args&... args) {
  WriteLine(message_internal::FormatUntranslated(format.text(), {absl::FormatArg(args)...}));
}

// Writes "<program>: <message>" and a newline to standard error in one write(2) call:
// how a lesson reports a failure it cannot work around (fork refused, ...). Errors go to
// standard error so that they are seen even when the output is piped or parsed (--json).
void WriteErrorLine(std::string_view message);

// PrintError(format, args...): translated and filled, then WriteErrorLine.
template <typename... Args>
void PrintError(FormatString<Args...> format, const Args&... args) {
  WriteErrorLine(Format(format, args...));
}

// Title("线程锁", "Thread locks"): the banner that opens a lesson's output. The Chinese
// title is the tutorial's section title; in English both are shown.
void Title(std::string_view chinese, std::string_view english);

// A step whose heading was made elsewhere (a Text: already in the reader's language).
void WriteStep(const Text& heading);

// Step("Two threads, no lock"): a sub-heading before each part of a lesson, translated.
template <typename... Args>
void Step(FormatString<Args...> format, const Args&... args) {
  WriteStep(Format(format, args...));
}

// Notice({Tr("point one"), Format("point %d", 2)}): the closing "What to notice" list.
// Points are Text, so each went through the catalog (or was marked Verbatim on purpose).
void Notice(std::initializer_list<Text> points);
void Notice(const std::vector<Text>& points);

// The kernel's id of the calling thread (gettid), the number `ps -L` and `top -H` show.
// In the main thread it equals the process id.
long ThreadId();

}  // namespace lesson

#endif  // COMMON_LESSON_H_
