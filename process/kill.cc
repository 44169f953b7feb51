// process/kill.cc — 杀掉进程 (killing a process)
//
// Ports 杀掉进程: "p1 一直阻塞，导致后面的进程p2、p3执行不了" — p1 blocks forever and p2,
// p3 cannot run until it ends. The tutorial's fix is to open the task manager and end p1;
// then p2 and p3 run, showing that processes are independent of each other. Here main
// waits for p1 before starting p2 and p3, and a watchdog process plays the task manager:
// after --deadline it sends p1 SIGKILL (what `kill -9` and "end task" do). Main then
// reports how p1 died, and p2 and p3 run normally.
//
// How C++ differs: nothing Python-specific. One Unix detail matters: the watchdog is p1's
// sibling, not its parent, and a sibling has no hold on p1's PID (main could reap p1 and
// the number could be reused). So the watchdog opens a pidfd, a handle on the process
// itself, and signals through it: a pidfd cannot hit another process that got the same
// number later.
//
// With --trace=PATH the timeline shows p1 blocked from its start until the kill (a killed
// process records nothing more: its span is closed at the moment main reaped it), the
// watchdog's "SIGKILL sent" instant, main blocked in join(p1), then p2 and p3.
//
//   bazel run //process:kill
//   bazel run //process:kill -- --deadline=30s     # then `kill -9 <p1>` yourself
//   bazel run //process:kill -- --trace=/tmp/kill.json
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
#include "common/trace.h"
#include "process/conclusions.h"
#include "process/describe.h"
#include "process/interrupt_guard.h"
#include "process/pipe.h"
#include "process/process.h"

ABSL_FLAG(absl::Duration, deadline, absl::Seconds(1),
          "how long the watchdog lets p1 block before killing it (e.g. 1s)");

namespace {

// pidfd system calls (Linux 5.3+), called directly: glibc 2.36's <sys/pidfd.h> lacks the
// extern "C" that C++ needs to link against its wrappers.
int PidfdOpen(pid_t pid) { return static_cast<int>(syscall(SYS_pidfd_open, pid, 0)); }
int PidfdSendSignal(int pidfd, int signal_number) {
  return static_cast<int>(syscall(SYS_pidfd_send_signal, pidfd, signal_number, nullptr, 0));
}

// p1: starts, then blocks forever (as if waiting for input that never comes).
[[noreturn]] void BlockForever() {
  // Recorded the moment it begins (a child writes each event at once), so the timeline
  // still shows it after the SIGKILL: the span ends where main reaped p1.
  trace::Span blocked("blocked forever: pause()", trace::kWait);
  lesson::Print("  p1 (PID %d): started, now blocked forever", getpid());
  while (true) pause();
}

// The task manager: after the deadline, SIGKILL p1 through a pidfd.
// It writes to `fired` before the kill, so that main, once p1 is gone, can tell whether
// the watchdog did it or someone else did (and the watchdog is then still waiting).
int Watchdog(pid_t p1, absl::Duration deadline, process::Pipe& fired) {
  // Opened now, while p1 certainly exists: from here on the fd names that process only.
  const int pidfd = PidfdOpen(p1);
  {
    trace::Span waiting("let p1 block until the deadline", trace::kSleep);
    absl::SleepFor(deadline);
  }
  lesson::Print("  watchdog (PID %d): p1 has blocked for %s: kill -9 %d", getpid(),
                absl::FormatDuration(deadline), p1);
  (void)fired.WriteAll("!");
  // Stamped as the signal goes out, not after: once it is out, main may reap p1 before
  // this process runs again, and the timeline must show the kill before the reaping.
  trace::Instant("SIGKILL sent to p1 (kill -9)");
  const int sent = pidfd >= 0 ? PidfdSendSignal(pidfd, SIGKILL)
                              : kill(p1, SIGKILL);  // Kernel without pidfds (< 5.3).
  if (sent != 0) {
    trace::Instant("p1 was already gone");
    lesson::Print("  watchdog: p1 was already gone (%s)", strerrordesc_np(errno));
    return 1;
  }
  return 0;
}

void SayHello(const char* name) {
  trace::Span span("执行了 (ran)");
  lesson::Print("  %s (PID %d): ran", name, getpid());
}

}  // namespace

int main(int argc, char** argv) {
  lesson::ParseFlags(argc, argv, "A blocked process, killed by a watchdog; the others carry on.");
  lesson::RequireInRange(FLAGS_deadline, absl::Milliseconds(100), absl::Seconds(60));
  const absl::Duration deadline = absl::GetFlag(FLAGS_deadline);
  process::InterruptGuard guard;  // Ctrl-C ends p1 and the watchdog too (interrupt_guard.h).

  lesson::Title("杀掉进程", "Killing a process");
  process::KillObservation seen;
  seen.deadline_ms = absl::ToDoubleMilliseconds(deadline);

  lesson::Step("p1 blocks; p2 and p3 wait behind it");
  process::Process p1(BlockForever);
  p1.set_name("p1");
  if (absl::Status s = p1.Start(); !s.ok()) return process::Fail(s);
  lesson::Stopwatch p1_age;
  absl::StatusOr<process::Pipe> fired = process::Pipe::Create();
  if (!fired.ok()) return process::Fail(fired.status());
  const pid_t p1_pid = p1.pid();
  process::Process watchdog(
      [p1_pid, deadline, &fired] { return Watchdog(p1_pid, deadline, *fired); });
  watchdog.set_name("watchdog");
  if (absl::Status s = watchdog.Start(); !s.ok()) return process::Fail(s);
  fired->CloseWrite();
  lesson::Print("  main: p2 and p3 start after p1 ends. The watchdog (PID %d) ends p1 in %s,",
                watchdog.pid(), absl::FormatDuration(deadline));
  lesson::Print("        or do it yourself from another terminal: kill -9 %d", p1.pid());

  if (absl::Status s = p1.Join(); !s.ok()) return process::Fail(s);  // Blocks until p1 is gone.
  seen.p1_lived_ms = p1_age.Seconds() * 1000;
  seen.p1_signal = p1.exit_status()->signaled() ? p1.exit_status()->signal() : 0;
  lesson::Print("  main: p1 (PID %d) %s, after %.0f ms", p1.pid(),
                process::DescribeExit(*p1.exit_status()).str(), seen.p1_lived_ms);
  // If someone else ended p1 first, the watchdog has not fired and is still waiting: it
  // is not needed any more.
  pollfd has_fired{fired->read_fd(), POLLIN, 0};
  seen.watchdog_fired = poll(&has_fired, 1, 0) == 1;
  if (!seen.watchdog_fired) (void)watchdog.Kill();
  if (absl::Status s = watchdog.Join(); !s.ok()) return process::Fail(s);
  if (seen.watchdog_fired) {
    lesson::Print("  main: watchdog %s", process::DescribeExit(*watchdog.exit_status()).str());
  } else {
    lesson::Print("  main: watchdog %s (no longer needed)",
                  process::DescribeExit(*watchdog.exit_status()).str());
  }

  lesson::Step("p1 is gone: p2 and p3 run");
  process::Process p2(SayHello, "p2");
  process::Process p3(SayHello, "p3");
  p2.set_name("p2");
  p3.set_name("p3");
  for (process::Process* p : {&p2, &p3}) {
    if (absl::Status s = p->Start(); !s.ok()) return process::Fail(s);
  }
  for (process::Process* p : {&p2, &p3}) {
    if (absl::Status s = p->Join(); !s.ok()) return process::Fail(s);
  }
  seen.others_exited_zero = p2.exit_code() == 0 && p3.exit_code() == 0;
  lesson::Print("  main: p2 %s, p3 %s", process::DescribeExit(*p2.exit_status()).str(),
                process::DescribeExit(*p3.exit_status()).str());

  lesson::Notice(process::KillPoints(seen));
  return 0;
}
