// process/join.cc — 阻塞进程 (waiting for a process: join)
//
// Ports 阻塞进程: the tutorial's two programs. Without join(), the main process prints
// its last line while the child is still working; with p1.join() the main process waits,
// so its last line comes after the child's, and the child's exit code can be read
// (p1.exitcode). The child's "大量的耗时的运算" is --work_ms of sleep between its lines.
//
// How C++ differs, and a correction: in Python the main process does not really end
// before its child; multiprocessing joins every non-daemon child when the interpreter
// exits, so only main's *code* finishes first. In C and C++ nothing waits implicitly: a
// main that returns without waitpid() really ends first, and its child becomes an orphan,
// adopted by another process. Part 3 shows that happen (this lesson adopts the orphan
// itself, as a "subreaper", so nothing is left behind). process::Process never orphans:
// its destructor kills and reaps a child that is still running.
//
//   bazel run //process:join
//   bazel run //process:join -- --work_ms=1000 --exit_code=3
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>

#include "absl/flags/flag.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/flags.h"
#include "common/lesson.h"
#include "common/stopwatch.h"
#include "process/interrupt_guard.h"
#include "process/pipe.h"
#include "process/process.h"

ABSL_FLAG(int, work_ms, 300, "how long the child works between its two lines");
ABSL_FLAG(int, exit_code, 0, "the exit code the child returns (read back by the parent)");

namespace {

// The tutorial's coding(), with its "time-consuming work" made visible.
int Coding(int work_ms, int exit_code) {
  lesson::Print("开始写代码，PID是%d", getpid());
  absl::SleepFor(absl::Milliseconds(work_ms));
  lesson::Print("休息一会儿，PID是%d", getpid());
  return exit_code;
}

int Fail(const absl::Status& status) {
  lesson::PrintError("%s", status.ToString());
  return 1;
}

// Part 3: the child of a plain C-style parent that fork()s and returns without waiting.
// It reports its PPID, tells the parent it has (`said_hello`), and waits to be orphaned.
[[noreturn]] void Orphan(pid_t first_parent, process::Pipe& said_hello) {
  lesson::Print("  orphan: PID %d, PPID %d (the parent that will not wait)", getpid(), getppid());
  (void)said_hello.WriteAll("+");
  said_hello.CloseWrite();
  const absl::Time give_up = absl::Now() + absl::Seconds(10);
  while (getppid() == first_parent && absl::Now() < give_up) {
    absl::SleepFor(absl::Milliseconds(1));
  }
  lesson::Print("  orphan: my parent has ended; my PPID is now %d", getppid());
  _exit(0);
}

}  // namespace

int main(int argc, char** argv) {
  lesson::ParseFlags(argc, argv, "Waiting for a child process, and what happens if you don't.");
  lesson::RequireInRange(FLAGS_work_ms, 0, 5000);
  lesson::RequireInRange(FLAGS_exit_code, 0, 255);
  const int work_ms = absl::GetFlag(FLAGS_work_ms);
  const int exit_code = absl::GetFlag(FLAGS_exit_code);
  process::InterruptGuard guard;

  lesson::Title("阻塞进程", "Waiting for a process (join)");

  lesson::Step("进程没有阻塞: start p1, don't wait");
  {
    lesson::Print("我是主进程，PID是%d", getpid());
    process::Process p1(Coding, work_ms, exit_code);
    if (absl::Status s = p1.Start(); !s.ok()) return Fail(s);
    lesson::Print("我是主进程，PID是%d", getpid());
    lesson::Print("(main's code is done; p1.is_alive() = %s)", p1.IsAlive() ? "True" : "False");
    // Only so that nothing is left behind: a C++ main returning here would orphan p1.
    if (absl::Status s = p1.Join(); !s.ok()) return Fail(s);
    lesson::Print("(the lesson joined p1 afterwards, only to leave nothing behind)");
  }

  lesson::Step("有进程阻塞: start p1, then p1.join()");
  {
    lesson::Print("我是主进程，PID是%d", getpid());
    process::Process p1(Coding, work_ms, exit_code);
    if (absl::Status s = p1.Start(); !s.ok()) return Fail(s);
    lesson::Stopwatch waited;
    if (absl::Status s = p1.Join(); !s.ok()) return Fail(s);
    lesson::Print("我是主进程，PID是%d", getpid());
    lesson::Print("(join() waited %.0f ms; p1.exitcode = %d: %s)", waited.Seconds() * 1000,
                  *p1.exit_code(), p1.exit_status()->ToString());
  }

  lesson::Step("In C/C++ a parent that does not wait really ends first: the orphan");
  // Orphans are re-parented to the nearest "subreaper" ancestor, else to init (PID 1).
  // Becoming one lets this lesson adopt the orphan and reap it.
  prctl(PR_SET_CHILD_SUBREAPER, 1);
  absl::StatusOr<process::Pipe> pipe = process::Pipe::Create();
  absl::StatusOr<process::Pipe> said_hello = process::Pipe::Create();
  if (!pipe.ok()) return Fail(pipe.status());
  if (!said_hello.ok()) return Fail(said_hello.status());
  process::Process parent([&pipe, &said_hello] {
    const pid_t me = getpid();
    const pid_t orphan = fork();  // Plain fork(), and no waitpid() anywhere below.
    if (orphan == 0) Orphan(me, *said_hello);
    said_hello->CloseWrite();
    char byte;
    (void)!read(said_hello->read_fd(), &byte, 1);  // The orphan has printed its PPID.
    lesson::Print("  parent: PID %d, started child %d, returns without waiting", me, orphan);
    return pipe->WriteAll(absl::StrFormat("%d", orphan)).ok() ? 0 : 1;
  });
  if (absl::Status s = parent.Start(); !s.ok()) return Fail(s);
  pipe->CloseWrite();
  said_hello->CloseWrite();
  absl::StatusOr<std::string> orphan_pid = pipe->ReadAll();  // EOF: both have closed it.
  if (absl::Status s = parent.Join(); !s.ok()) return Fail(s);
  lesson::Print("  parent %s, before its child", parent.exit_status()->ToString());
  int status = 0;
  const pid_t orphan = orphan_pid.ok() && !orphan_pid->empty() ? std::stoi(*orphan_pid) : -1;
  if (orphan <= 0 || waitpid(orphan, &status, 0) != orphan) {
    return Fail(absl::InternalError("could not reap the orphan"));
  }
  lesson::Print("  main (PID %d) adopted the orphan %d and reaped it: %s", getpid(), orphan,
                process::ExitStatus::FromWaitStatus(status).ToString());

  lesson::Notice({
      "Without join() main's last line came before the child's last line: main did not "
      "wait for the work. Whether main's second line or the child's first comes first "
      "varies from run to run; the child's last line is always after (it sleeps first).",
      "With join() the order is fixed: main, child, child, main. join() took about "
      "--work_ms, and then the exit code was there to read (p1.exitcode).",
      "Correction: Python's main process does not really end first; multiprocessing "
      "joins non-daemon children at exit. A C/C++ parent that does not wait really ends "
      "first, and its child is re-parented (its PPID changes) to a subreaper or init.",
      "Exit codes are one byte: --exit_code=256 would read back as 0, which is why the "
      "flag stops at 255.",
  });
  return 0;
}
