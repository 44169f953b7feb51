// process/join.cc — 阻塞进程 (waiting for a process: join)
//
// Ports 阻塞进程: the tutorial's two programs. Without join(), the main process prints
// its last line while the child is still working; with p1.join() the main process waits,
// so its last line comes after the child's, and the child's exit code can be read
// (p1.exitcode). The child's "大量的耗时的运算" is --work of sleep between its lines
// (--work=0 is the tutorial's program exactly). The lesson records the order in which
// the lines really came out (process/print_order.h) and says what this run showed.
//
// CPython 3.11.7 on Linux (start method fork), the tutorial's no-join program run 20
// times here: main, main, child, child every time, as the tutorial shows. A Python child
// needs tens of milliseconds to reach coding(); main's next print takes microseconds.
//
// How C++ differs, and a correction: in Python the main process does not really end
// before its child; multiprocessing joins every non-daemon child when the interpreter
// exits, so only main's *code* finishes first. In C and C++ nothing waits implicitly: a
// main that returns without waitpid() really ends first, and its child becomes an orphan,
// adopted by another process. Part 3 shows that happen (this lesson adopts the orphan
// itself, as a "subreaper", so nothing is left behind). process::Process never orphans:
// its destructor kills and reaps a child that is still running.
//
// With --trace=PATH the timeline shows p1 as a process of its own, sleeping through its
// work, and main blocked in join() (state "join") until p1 ends.
//
//   bazel run //process:join
//   bazel run //process:join -- --work=1s --exit_code=3
//   bazel run //process:join -- --trace=/tmp/join.json    # open it in ui.perfetto.dev
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/flags.h"
#include "common/i18n.h"
#include "common/lesson.h"
#include "common/stopwatch.h"
#include "common/trace.h"
#include "process/conclusions.h"
#include "process/describe.h"
#include "process/interrupt_guard.h"
#include "process/pipe.h"
#include "process/print_order.h"
#include "process/process.h"

ABSL_FLAG(absl::Duration, work, absl::Milliseconds(300),
          "how long the child works between its two lines (e.g. 300ms; 0 is the tutorial's "
          "program)");
ABSL_FLAG(int, exit_code, 0, "the exit code the child returns (read back by the parent)");

namespace {

using process::JoinObservation;

// The tutorial's coding(), with its "time-consuming work" made visible. Each line goes
// through `order`, which records who printed it when.
int Coding(process::PrintOrder& order, absl::Duration work, int exit_code) {
  order.Print(JoinObservation::kChild, [] {
    lesson::Tutorial("开始写代码，PID是%d", getpid());
    trace::Instant("print: 开始写代码");
  });
  {
    trace::Span working("大量的耗时的运算 (work: a sleep of --work)", trace::kSleep);
    absl::SleepFor(work);
  }
  order.Print(JoinObservation::kChild, [] {
    lesson::Tutorial("休息一会儿，PID是%d", getpid());
    trace::Instant("print: 休息一会儿");
  });
  return exit_code;
}

// The tutorial's `p1 = Process(target=coding)`, the same in both programs: a child that
// runs Coding, named p1. `order` must outlive it.
process::Process MakeP1(process::PrintOrder& order, absl::Duration work, int exit_code) {
  process::Process p1([&order, work, exit_code] { return Coding(order, work, exit_code); });
  p1.set_name("p1");
  return p1;
}

// Main's line, the same in both programs.
void MainSays(process::PrintOrder& order) {
  order.Print(JoinObservation::kMain, [] {
    lesson::Tutorial("我是主进程，PID是%d", getpid());
    trace::Instant("print: 我是主进程");
  });
}

// "main, main, child, child", in the reader's language.
std::string OrderWords(const std::vector<int>& order) {
  std::vector<std::string> words;
  for (int who : order) {
    words.push_back(who == JoinObservation::kMain ? lesson::Tr("main").str()
                                                  : lesson::Tr("child").str());
  }
  return absl::StrJoin(words, lesson::Chinese() ? "、" : ", ");
}

// Part 3: the child of a plain C-style parent that fork()s and returns without waiting.
// It reports its PPID, tells the parent it has (`said_hello`), and waits to be orphaned.
[[noreturn]] void Orphan(pid_t first_parent, process::Pipe& said_hello) {
  trace::NameProcess("orphan");
  lesson::Print("  orphan: PID %d, PPID %d (the parent that will not wait)", getpid(), getppid());
  (void)said_hello.WriteAll("+");
  said_hello.CloseWrite();
  {
    trace::Span waiting("wait to be orphaned", trace::kWait);
    const absl::Time give_up = absl::Now() + absl::Seconds(10);
    while (getppid() == first_parent && absl::Now() < give_up) {
      absl::SleepFor(absl::Milliseconds(1));
    }
  }
  lesson::Print("  orphan: my parent has ended; my PPID is now %d", getppid());
  _exit(0);
}

}  // namespace

int main(int argc, char** argv) {
  lesson::ParseFlags(argc, argv, "Waiting for a child process, and what happens if you don't.");
  lesson::RequireInRange(FLAGS_work, absl::ZeroDuration(), absl::Seconds(5));
  lesson::RequireInRange(FLAGS_exit_code, 0, 255);
  const absl::Duration work = absl::GetFlag(FLAGS_work);
  const int exit_code = absl::GetFlag(FLAGS_exit_code);
  process::InterruptGuard guard;  // Ctrl-C stops p1 too, then the lesson (interrupt_guard.h).

  lesson::Title("阻塞进程", "Waiting for a process (join)");
  JoinObservation seen;
  seen.work_ms = absl::ToDoubleMilliseconds(work);
  seen.exit_code = exit_code;

  lesson::Step("No join: start p1, don't wait");
  {
    absl::StatusOr<process::PrintOrder> order = process::PrintOrder::Create();
    if (!order.ok()) return process::Fail(order.status());
    MainSays(*order);
    process::Process p1 = MakeP1(*order, work, exit_code);
    const double started_us = trace::NowMicros();
    if (absl::Status s = p1.Start(); !s.ok()) return process::Fail(s);
    MainSays(*order);
    seen.alive_when_main_done = p1.IsAlive();
    lesson::Print("  (main's code is done; p1.is_alive() = %s)",
                  seen.alive_when_main_done ? "True" : "False");
    // Only so that nothing is left behind: a C++ main returning here would orphan p1.
    trace::Span cleanup("main's code is done; the lesson joins p1 only to leave nothing behind");
    if (absl::Status s = p1.Join(); !s.ok()) return process::Fail(s);
    lesson::Print("  (the lesson joined p1 afterwards, only to leave nothing behind)");
    for (const process::PrintOrder::Line& line : order->Lines()) {
      seen.order_without_join.push_back(line.who);
      if (line.who == JoinObservation::kChild && seen.child_first_line_ms < 0) {
        seen.child_first_line_ms = (line.at_us - started_us) / 1000;
      }
    }
    lesson::Print("  The lines came out in this order: %s (the tutorial shows main, main, child, "
                  "child).",
                  OrderWords(seen.order_without_join));
    lesson::Print("  CPython 3.11.7 on Linux (fork), the tutorial's program run 20 times here: "
                  "main, main, child, child every time.");
  }

  lesson::Step("With join: start p1, then p1.join()");
  {
    absl::StatusOr<process::PrintOrder> order = process::PrintOrder::Create();
    if (!order.ok()) return process::Fail(order.status());
    MainSays(*order);
    process::Process p1 = MakeP1(*order, work, exit_code);
    if (absl::Status s = p1.Start(); !s.ok()) return process::Fail(s);
    lesson::Stopwatch waited;
    if (absl::Status s = p1.Join(); !s.ok()) return process::Fail(s);  // 阻塞主进程 until p1 ends.
    seen.waited_ms = waited.Seconds() * 1000;
    MainSays(*order);
    for (const process::PrintOrder::Line& line : order->Lines()) {
      seen.order_with_join.push_back(line.who);
    }
    seen.exit_code_read = p1.exit_code().value_or(-1);
    lesson::Print("  (join() waited %.0f ms; p1.exitcode = %d: %s)", seen.waited_ms,
                  seen.exit_code_read, process::DescribeExit(*p1.exit_status()).str());
  }

  lesson::Step("In C/C++ a parent that does not wait really ends first: the orphan");
  // Orphans are re-parented to the nearest "subreaper" ancestor, else to init (PID 1).
  // Becoming one lets this lesson adopt the orphan and reap it.
  prctl(PR_SET_CHILD_SUBREAPER, 1);
  absl::StatusOr<process::Pipe> pipe = process::Pipe::Create();
  absl::StatusOr<process::Pipe> said_hello = process::Pipe::Create();
  if (!pipe.ok()) return process::Fail(pipe.status());
  if (!said_hello.ok()) return process::Fail(said_hello.status());
  process::Process parent([&pipe, &said_hello] {
    const pid_t me = getpid();
    const pid_t orphan = fork();  // Plain fork(), and no waitpid() anywhere below.
    if (orphan == 0) Orphan(me, *said_hello);
    said_hello->CloseWrite();
    char byte;
    {
      trace::Span waiting("wait for the orphan's first line", trace::kIo);
      (void)!read(said_hello->read_fd(), &byte, 1);
    }
    lesson::Print("  parent: PID %d, started child %d, returns without waiting", me, orphan);
    return pipe->WriteAll(absl::StrFormat("%d", orphan)).ok() ? 0 : 1;
  });
  parent.set_name("parent that does not wait");
  if (absl::Status s = parent.Start(); !s.ok()) return process::Fail(s);
  pipe->CloseWrite();
  said_hello->CloseWrite();
  absl::StatusOr<std::string> orphan_pid = pipe->ReadAll();  // EOF: both have closed it.
  if (absl::Status s = parent.Join(); !s.ok()) return process::Fail(s);
  lesson::Print("  parent %s, before its child", process::DescribeExit(*parent.exit_status()).str());
  int status = 0;
  const pid_t orphan = orphan_pid.ok() && !orphan_pid->empty() ? std::stoi(*orphan_pid) : -1;
  {
    trace::Span waiting("waitpid(orphan)", trace::kJoin);
    if (orphan <= 0 || waitpid(orphan, &status, 0) != orphan) {
      lesson::PrintError("could not reap the orphan");
      return 1;
    }
  }
  const process::ExitStatus orphan_status = process::ExitStatus::FromWaitStatus(status);
  trace::ProcessEnded(orphan, orphan_status.ToString());
  lesson::Print("  main (PID %d) adopted the orphan %d and reaped it: %s", getpid(), orphan,
                process::DescribeExit(orphan_status).str());

  lesson::Notice(process::JoinPoints(seen));
  return 0;
}
