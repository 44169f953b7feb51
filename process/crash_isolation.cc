// process/crash_isolation.cc — 进程属性: 一个进程崩溃后，不会影响其他的进程 (crash isolation)
//
// Ports 进程属性's advantage: "进程有独立的地址空间，当一个进程崩溃后，不会影响其他的进程".
// Three children start together: one dies of SIGSEGV (a real invalid memory access),
// one of SIGABRT (abort(), what a failed assert does), and a sibling does its work. The
// parent reaps each, reports how it ended from the wait status, and carries on; the
// sibling finishes its work as if nothing happened.
//
// How C++ differs: Python turns most errors into exceptions; a C++ bug can crash the
// process outright (a bad pointer, an abort). In a process of its own, that crash is
// contained. The same crash in a thread takes the whole process down
// (//thread:crash). The SIGSEGV comes from a store to a page mapped PROT_NONE, not from
// a null-pointer write, which would be undefined behaviour the compiler may delete or
// turn into a different trap (process/crash_kinds.h explains).
//
//   bazel run //process:crash_isolation
//   bazel run //process:crash_isolation -- --sibling_work=1s
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/flags.h"
#include "common/lesson.h"
#include "common/table.h"
#include "common/trace.h"
#include "process/conclusions.h"
#include "process/crash_kinds.h"
#include "process/describe.h"
#include "process/interrupt_guard.h"
#include "process/pipe.h"
#include "process/process.h"

ABSL_FLAG(absl::Duration, sibling_work, absl::Milliseconds(300),
          "how long the healthy sibling works (e.g. 300ms)");

namespace {

constexpr int kSiblingSteps = 3;

// Each child tells the parent through `said` once it has printed its first line, so that
// the parent's next heading comes after the three announcements.
void Said(process::Pipe& said) { (void)said.WriteAll("+"); }

[[noreturn]] void Segfault(process::Pipe& said) {
  lesson::Print("  segv child (PID %d): storing to a page that has no access rights...", getpid());
  Said(said);
  trace::Instant("store to a PROT_NONE page: SIGSEGV");
  process::SegfaultNow();
}

[[noreturn]] void Abort(process::Pipe& said) {
  lesson::Print("  abort child (PID %d): calling abort()...", getpid());
  Said(said);
  trace::Instant("abort(): SIGABRT");
  process::AbortNow();
}

// Works in steps, saying so, and ends normally: the crashes next door do not reach it.
int Sibling(process::Pipe& said, absl::Duration work) {
  lesson::Print("  sibling (PID %d): working for %s", getpid(), absl::FormatDuration(work));
  Said(said);
  for (int step = 1; step <= kSiblingSteps; ++step) {
    trace::Span span(absl::StrFormat("work, step %d", step), trace::kSleep);
    absl::SleepFor(work / kSiblingSteps);
    lesson::Print("  sibling: step %d of %d done", step, kSiblingSteps);
  }
  return 0;
}

// This machine's kernel.core_pattern: where a core dump would go ("core", "|/usr/...").
std::string CorePattern() {
  char text[256] = "";
  if (std::FILE* file = std::fopen("/proc/sys/kernel/core_pattern", "r")) {
    if (std::fgets(text, sizeof text, file) == nullptr) text[0] = '\0';
    std::fclose(file);
  }
  std::string pattern = text;
  while (!pattern.empty() && pattern.back() == '\n') pattern.pop_back();
  return pattern;
}

}  // namespace

int main(int argc, char** argv) {
  lesson::ParseFlags(argc, argv, "Children crash; the parent and a sibling carry on.");
  lesson::RequireInRange(FLAGS_sibling_work, absl::Milliseconds(30), absl::Seconds(10));
  const absl::Duration sibling_work = absl::GetFlag(FLAGS_sibling_work);
  process::InterruptGuard guard;  // Ctrl-C stops the sibling too (interrupt_guard.h).

  lesson::Title("进程属性：崩溃隔离", "Process properties: a crash stays in its process");

  lesson::Step("Three children at once: two crash, one works");
  absl::StatusOr<process::Pipe> said = process::Pipe::Create();
  if (!said.ok()) return process::Fail(said.status());
  process::Pipe& pipe = *said;
  std::vector<process::Process> children;
  children.emplace_back([&pipe] { Segfault(pipe); });
  children.emplace_back([&pipe] { Abort(pipe); });
  children.emplace_back([&pipe, sibling_work] { return Sibling(pipe, sibling_work); });
  const char* const names[] = {"segv child", "abort child", "sibling"};  // In the trace.
  const lesson::Text labels[] = {lesson::Tr("segv child"), lesson::Tr("abort child"),
                                 lesson::Tr("sibling")};
  int label_width = 0;
  for (const lesson::Text& label : labels) {
    label_width = std::max(label_width, lesson::DisplayWidth(label.str()));
  }
  for (size_t i = 0; i < children.size(); ++i) {
    children[i].set_name(names[i]);
    if (absl::Status s = children[i].Start(); !s.ok()) return process::Fail(s);
  }
  {
    trace::Span waiting("wait for the three first lines", trace::kIo);
    for (size_t i = 0; i < children.size(); ++i) {
      char byte;
      if (read(pipe.read_fd(), &byte, 1) != 1) break;
    }
  }

  lesson::Step("The parent reaps them and reads how each ended");
  process::CrashObservation seen;
  seen.core_pattern = CorePattern();
  process::Process& sibling = children.back();
  for (size_t i = 0; i < children.size(); ++i) {
    process::Process& child = children[i];
    if (absl::Status s = child.Join(); !s.ok()) return process::Fail(s);
    const process::ExitStatus status = *child.exit_status();
    lesson::Print("  %s (PID %d): %s   [Python's exitcode: %d]",
                  lesson::PadRight(labels[i].str(), label_width), child.pid(),
                  process::DescribeExit(status).str(), *child.exit_code());
    if (&child == &sibling) {
      seen.sibling_exit_code = status.exited() ? status.code() : -status.signal();
      continue;
    }
    const bool sibling_running = sibling.IsAlive();
    seen.crashes.push_back({.expected_signal = i == 0 ? SIGSEGV : SIGABRT,
                            .status = status,
                            .sibling_running_at_reap = sibling_running});
    if (sibling_running) {
      lesson::Print("    ...and the sibling is still running");
    } else {
      lesson::Print("    ...and the sibling has already finished");
    }
  }
  seen.sibling_work_ms = absl::ToDoubleMilliseconds(sibling_work);

  lesson::Step("The parent carries on");
  int crashed = 0;
  for (const process::Process& child : children) crashed += child.exit_status()->signaled();
  lesson::Print("  parent (PID %d): still here; %d of %d children crashed, none of it reached me",
                getpid(), crashed, static_cast<int>(children.size()));

  lesson::Notice(process::CrashIsolationPoints(seen));
  return 0;
}
