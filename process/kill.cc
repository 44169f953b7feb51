// process/kill.cc — 杀掉进程 (killing a process)
//
// Ports 杀掉进程: "p1 一直阻塞，导致后面的进程p2、p3执行不了" — p1 blocks forever and p2,
// p3 cannot run until it ends. The tutorial's fix is to open the task manager and end p1;
// then p2 and p3 run, showing that processes are independent of each other. Here main
// waits for p1 before starting p2 and p3, and a watchdog process plays the task manager:
// after --deadline_ms it sends p1 SIGKILL (what `kill -9` and "end task" do). Main then
// reports how p1 died, and p2 and p3 run normally.
//
// How C++ differs: nothing Python-specific. One Unix detail matters: the watchdog is p1's
// sibling, not its parent, and a sibling has no hold on p1's PID (main could reap p1 and
// the number could be reused). So the watchdog opens a pidfd, a handle on the process
// itself, and signals through it: a pidfd cannot hit another process that got the same
// number later.
//
//   bazel run //process:kill
//   bazel run //process:kill -- --deadline_ms=30000   # then `kill -9 <p1>` yourself
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

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

ABSL_FLAG(int, deadline_ms, 1000, "how long the watchdog lets p1 block before killing it");

namespace {

// pidfd system calls (Linux 5.3+), called directly: glibc 2.36's <sys/pidfd.h> lacks the
// extern "C" that C++ needs to link against its wrappers.
int PidfdOpen(pid_t pid) { return static_cast<int>(syscall(SYS_pidfd_open, pid, 0)); }
int PidfdSendSignal(int pidfd, int signal_number) {
  return static_cast<int>(syscall(SYS_pidfd_send_signal, pidfd, signal_number, nullptr, 0));
}

// p1: starts, then blocks forever (as if waiting for input that never comes).
[[noreturn]] void BlockForever() {
  lesson::Print("  p1 (PID %d): started, now blocked forever", getpid());
  while (true) pause();
}

// The task manager: after the deadline, SIGKILL p1 through a pidfd.
// It writes to `fired` before the kill, so that main, once p1 is gone, can tell whether
// the watchdog did it or someone else did (and the watchdog is then still waiting).
int Watchdog(pid_t p1, int deadline_ms, process::Pipe& fired) {
  // Opened now, while p1 certainly exists: from here on the fd names that process only.
  const int pidfd = PidfdOpen(p1);
  absl::SleepFor(absl::Milliseconds(deadline_ms));
  lesson::Print("  watchdog (PID %d): p1 has blocked for %d ms: kill -9 %d", getpid(), deadline_ms,
                p1);
  (void)fired.WriteAll("!");
  const int sent = pidfd >= 0 ? PidfdSendSignal(pidfd, SIGKILL)
                              : kill(p1, SIGKILL);  // Kernel without pidfds (< 5.3).
  if (sent != 0) {
    lesson::Print("  watchdog: p1 was already gone (%s)", strerrordesc_np(errno));
    return 1;
  }
  return 0;
}

void SayHello(const char* name) { lesson::Print("  %s (PID %d): 执行了 (I ran)", name, getpid()); }

int Fail(const absl::Status& status) {
  lesson::PrintError("%s", status.ToString());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  lesson::ParseFlags(argc, argv, "A blocked process, killed by a watchdog; the others carry on.");
  lesson::RequireInRange(FLAGS_deadline_ms, 100, 60000);
  const int deadline_ms = absl::GetFlag(FLAGS_deadline_ms);
  process::InterruptGuard guard;

  lesson::Title("杀掉进程", "Killing a process");

  lesson::Step("p1 blocks; p2 and p3 wait behind it");
  process::Process p1(BlockForever);
  if (absl::Status s = p1.Start(); !s.ok()) return Fail(s);
  lesson::Stopwatch p1_age;
  absl::StatusOr<process::Pipe> fired = process::Pipe::Create();
  if (!fired.ok()) return Fail(fired.status());
  const pid_t p1_pid = p1.pid();
  process::Process watchdog(
      [p1_pid, deadline_ms, &fired] { return Watchdog(p1_pid, deadline_ms, *fired); });
  if (absl::Status s = watchdog.Start(); !s.ok()) return Fail(s);
  fired->CloseWrite();
  lesson::Print("  main: p2 and p3 start after p1 ends. The watchdog (PID %d) ends p1 in %d ms,",
                watchdog.pid(), deadline_ms);
  lesson::Print("        or do it yourself from another terminal: kill -9 %d", p1.pid());

  if (absl::Status s = p1.Join(); !s.ok()) return Fail(s);  // Blocks until p1 is gone.
  lesson::Print("  main: p1 (PID %d) %s, after %.0f ms", p1.pid(), p1.exit_status()->ToString(),
                p1_age.Seconds() * 1000);
  // If someone else ended p1 first, the watchdog has not fired and is still waiting: it
  // is not needed any more.
  pollfd has_fired{fired->read_fd(), POLLIN, 0};
  const bool watchdog_still_waiting = poll(&has_fired, 1, 0) == 0;
  if (watchdog_still_waiting) (void)watchdog.Kill();
  if (absl::Status s = watchdog.Join(); !s.ok()) return Fail(s);
  lesson::Print("  main: watchdog %s%s", watchdog.exit_status()->ToString(),
                watchdog_still_waiting ? " (no longer needed)" : "");

  lesson::Step("p1 is gone: p2 and p3 run");
  process::Process p2(SayHello, "p2");
  process::Process p3(SayHello, "p3");
  for (process::Process* p : {&p2, &p3}) {
    if (absl::Status s = p->Start(); !s.ok()) return Fail(s);
  }
  for (process::Process* p : {&p2, &p3}) {
    if (absl::Status s = p->Join(); !s.ok()) return Fail(s);
  }
  lesson::Print("  main: p2 %s, p3 %s", p2.exit_status()->ToString(), p3.exit_status()->ToString());

  lesson::Notice({
      "p1 was killed by signal 9 (SIGKILL): it had no say, could not clean up, and its "
      "exit status records the signal (Python's p1.exitcode would be -9).",
      "Killing p1 did nothing to main, the watchdog, p2 or p3: processes are independent "
      "(\"进程之间是相互没有关联的\").",
      "p2 and p3 could not run before only because main chose to wait for p1; nothing "
      "in the OS tied them together. A timeout on the wait (p1.Join(timeout)) is the "
      "programmatic way out, without a watchdog.",
      "`kill <pid>` without -9 sends SIGTERM, which a process may handle or ignore; "
      "try it with --deadline_ms=30000 and see how p1's end is reported.",
      "What varies: PIDs and the exact milliseconds.",
  });
  return 0;
}
