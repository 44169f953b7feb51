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
// turn into a different trap (process/crash.h explains).
//
//   bazel run //process:crash_isolation
//   bazel run //process:crash_isolation -- --sibling_ms=1000
#include <unistd.h>

#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/flags.h"
#include "common/lesson.h"
#include "process/crash.h"
#include "process/interrupt_guard.h"
#include "process/pipe.h"
#include "process/process.h"

ABSL_FLAG(int, sibling_ms, 300, "how long the healthy sibling works");

namespace {

// Each child says what it is about to do, then tells the parent through `said` (so the
// parent's next heading comes after the three announcements).
void Announce(process::Pipe& said, const std::string& line) {
  lesson::Print("%s", line);
  (void)said.WriteAll("+");
}

[[noreturn]] void Segfault(process::Pipe& said) {
  Announce(said, absl::StrFormat("  segv child (PID %d): storing to a page that has no "
                                 "access rights...",
                                 getpid()));
  process::SegfaultNow();
}

[[noreturn]] void Abort(process::Pipe& said) {
  Announce(said, absl::StrFormat("  abort child (PID %d): calling abort()...", getpid()));
  process::AbortNow();
}

// Works in steps, saying so, and ends normally: the crashes next door do not reach it.
int Sibling(process::Pipe& said, int work_ms) {
  Announce(said, absl::StrFormat("  sibling (PID %d): working for %d ms", getpid(), work_ms));
  for (int step = 1; step <= 3; ++step) {
    absl::SleepFor(absl::Milliseconds(work_ms) / 3);
    lesson::Print("  sibling: step %d of 3 done", step);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  lesson::ParseFlags(argc, argv, "Children crash; the parent and a sibling carry on.");
  lesson::RequireInRange(FLAGS_sibling_ms, 30, 10000);
  const int sibling_ms = absl::GetFlag(FLAGS_sibling_ms);
  process::InterruptGuard guard;

  lesson::Title("进程属性: 崩溃隔离", "Process properties: a crash stays in its process");

  lesson::Step("Three children at once: two crash, one works");
  struct Child {
    const char* name;
    process::Process process;
  };
  absl::StatusOr<process::Pipe> said = process::Pipe::Create();
  if (!said.ok()) {
    lesson::PrintError("%s", said.status().ToString());
    return 1;
  }
  process::Pipe& pipe = *said;
  std::vector<Child> children;
  children.push_back({"segv child", process::Process([&pipe] { Segfault(pipe); })});
  children.push_back({"abort child", process::Process([&pipe] { Abort(pipe); })});
  children.push_back(
      {"sibling", process::Process([&pipe, sibling_ms] { return Sibling(pipe, sibling_ms); })});
  for (Child& child : children) {
    if (absl::Status s = child.process.Start(); !s.ok()) {
      lesson::PrintError("%s", s.ToString());
      return 1;
    }
  }
  for (size_t i = 0; i < children.size(); ++i) {
    char byte;
    if (read(pipe.read_fd(), &byte, 1) != 1) break;
  }

  lesson::Step("The parent reaps them and reads how each ended");
  for (Child& child : children) {
    if (absl::Status s = child.process.Join(); !s.ok()) {
      lesson::PrintError("%s", s.ToString());
      return 1;
    }
    lesson::Print("  %-11s (PID %d): %s   [Python's exitcode: %d]", child.name, child.process.pid(),
                  child.process.exit_status()->ToString(), *child.process.exit_code());
    if (child.process.exit_status()->signaled()) {
      const bool sibling_running = children.back().process.IsAlive();
      lesson::Print("    ...and the sibling is %s", sibling_running ? "still running" : "done");
    }
  }

  lesson::Step("The parent carries on");
  int crashed = 0;
  for (const Child& child : children) crashed += child.process.exit_status()->signaled();
  lesson::Print(
      "  parent (PID %d): still here; %d of %d children crashed, 0 of that "
      "reached me",
      getpid(), crashed, static_cast<int>(children.size()));

  lesson::Notice({
      "Each crash ended exactly one process. The kernel killed it with a signal "
      "(11 SIGSEGV, 6 SIGABRT) and recorded that in its wait status, which is how the "
      "parent could say what happened; Python reports the same as exitcode -11 and -6.",
      "The sibling was alive when the crashes were reaped and finished all its steps: "
      "separate address spaces, so a wild store in one process cannot touch another.",
      "The crashing children set their core-file limit to 0, so no core file is left in "
      "the working directory.",
      "Contrast //thread:crash: the same crash in a thread kills every thread of the "
      "process (\"一个线程死掉整个进程就死掉\").",
      "What varies: PIDs, and the order of the three children's first lines.",
  });
  return 0;
}
