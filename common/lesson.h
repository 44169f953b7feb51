// common/lesson.h — how every lesson talks to the reader.
//
// A lesson prints, in order: its tutorial section (Chinese title and English), what it is
// about to do (Step), the live output (Print), and a closing "what to notice" (Notice).
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

#include "absl/strings/str_format.h"

namespace lesson {

// Writes `line` and a newline to standard output in one write(2) call.
void WriteLine(std::string_view line);

// Print(format, args...): absl::StrFormat-checked formatting, then WriteLine.
template <typename... Args>
void Print(const absl::FormatSpec<Args...>& format, const Args&... args) {
  WriteLine(absl::StrFormat(format, args...));
}

// Writes "<program>: <message>" and a newline to standard error in one write(2) call:
// how a lesson reports a failure it cannot work around (fork refused, ...). Errors go to
// standard error so that they are seen even when the output is piped or parsed (--json).
void WriteErrorLine(std::string_view message);

// PrintError(format, args...): absl::StrFormat-checked formatting, then WriteErrorLine.
template <typename... Args>
void PrintError(const absl::FormatSpec<Args...>& format, const Args&... args) {
  WriteErrorLine(absl::StrFormat(format, args...));
}

// Title("线程锁", "Thread locks"): the banner that opens a lesson's output.
void Title(std::string_view chinese, std::string_view english);

// Step("Two threads, no lock"): a sub-heading before each part of a lesson.
void Step(std::string_view what);

// Notice({"point one", "point two"}): the closing "What to notice" list.
void Notice(std::initializer_list<std::string_view> points);

// The kernel's id of the calling thread (gettid), the number `ps -L` and `top -H` show.
// In the main thread it equals the process id.
long ThreadId();

}  // namespace lesson

#endif  // COMMON_LESSON_H_
