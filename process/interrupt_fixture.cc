// process/interrupt_fixture.cc — (test only) a program to interrupt.
//
// Starts three children and waits for them forever; interrupt_guard_test sends it SIGINT
// or SIGTERM and checks what is left. The children are the three kinds an interrupt meets:
//   plain     default signal dispositions: dies of the forwarded signal at once;
//   stubborn  ignores SIGINT, SIGTERM and SIGHUP: only SIGKILL ends it;
//   parent    has an InterruptGuard and a child of its own: must stop that one first.
// Prints "ready" once every process exists.
#include <signal.h>
#include <unistd.h>

#include <vector>

#include "absl/flags/flag.h"
#include "common/flags.h"
#include "common/lesson.h"
#include "process/interrupt_guard.h"
#include "process/pipe.h"
#include "process/process.h"

ABSL_FLAG(bool, guard, true, "install a process::InterruptGuard in the main process");
ABSL_FLAG(bool, die_with_parent, true, "start the children with PR_SET_PDEATHSIG");

namespace {

[[noreturn]] void BlockForever() {
  while (true) pause();
}

void IgnoreInterrupts() {
  for (int signal_number : {SIGINT, SIGTERM, SIGHUP}) signal(signal_number, SIG_IGN);
}

}  // namespace

int main(int argc, char** argv) {
  lesson::ParseFlags(argc, argv, "A program with children, for interrupt_guard_test.");
  std::optional<process::InterruptGuard> guard;
  if (absl::GetFlag(FLAGS_guard)) guard.emplace();

  // Each child writes one byte when it is fully set up; "ready" follows the third byte.
  process::Pipe ready = process::Pipe::Create().value();
  auto report_ready = [&ready] { (void)ready.WriteAll("+"); };

  std::vector<process::Process> children;
  children.emplace_back([report_ready] {
    report_ready();
    BlockForever();
  });
  children.emplace_back([report_ready] {
    IgnoreInterrupts();
    report_ready();
    BlockForever();
  });
  children.emplace_back([report_ready] {
    process::InterruptGuard own_guard;
    process::Process grandchild([] { BlockForever(); });
    if (!grandchild.Start().ok()) return 1;
    report_ready();
    (void)grandchild.Join();
    return 0;
  });
  for (process::Process& child : children) {
    child.set_die_with_parent(absl::GetFlag(FLAGS_die_with_parent));
    if (absl::Status s = child.Start(); !s.ok()) {
      lesson::WriteErrorLine("start failed: " + s.ToString());
      return 1;
    }
  }
  char bytes[3];
  size_t got = 0;
  while (got < sizeof bytes) {
    ssize_t n = read(ready.read_fd(), bytes + got, sizeof bytes - got);
    if (n <= 0) return 1;
    got += static_cast<size_t>(n);
  }
  lesson::WriteLine("ready");  // A signal to the test, not a message.
  for (process::Process& child : children) (void)child.Join();
  return 0;
}
