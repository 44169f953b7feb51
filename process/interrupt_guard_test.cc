// InterruptGuard, tested on a real program (interrupt_fixture) interrupted mid-run the
// two ways a user does it: `kill -INT <pid>` (the program alone) and Ctrl-C (the whole
// process group). Afterwards nothing of it may be left running.
#include "process/interrupt_guard.h"

#include <signal.h>
#include <unistd.h>

#include <string>

#include "absl/time/time.h"
#include "common/run_program.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "process/process.h"

namespace process {
namespace {

using ::testing::HasSubstr;

lesson::ProgramResult Interrupt(int signal_number, bool whole_group,
                                std::vector<std::string> flags = {}) {
  std::vector<std::string> argv = {lesson::RunfilePath("process/interrupt_fixture")};
  argv.insert(argv.end(), flags.begin(), flags.end());
  // 2 s is far more than the fixture needs to start three children on any machine; the
  // "ready" line below proves they all existed when the signal came.
  return lesson::RunProgram(argv, {.timeout = absl::Seconds(60),
                                   .signal = signal_number,
                                   .signal_after = absl::Seconds(2),
                                   .signal_whole_group = whole_group});
}

// The fixture was ready (all its children existed) when the signal came, died of
// `signal_number` itself without being timed out, and left `leftover` processes running.
void ExpectDiedOf(const lesson::ProgramResult& r, int signal_number, int leftover = 0) {
  EXPECT_THAT(r.stdout_text, HasSubstr("ready"));
  EXPECT_EQ(r.term_signal, signal_number) << r.stderr_text;
  EXPECT_FALSE(r.timed_out);
  EXPECT_EQ(r.leftover_processes, leftover);
}

// `kill -INT <pid>`: only the parent gets the signal; the guard stops all three children
// (the plain one, the one ignoring SIGINT, the one with a child of its own), then dies of
// SIGINT itself.
TEST(InterruptGuardTest, SigintToTheParentAloneLeavesNothing) {
  ExpectDiedOf(Interrupt(SIGINT, /*whole_group=*/false), SIGINT);
}

// Ctrl-C: the whole process group gets SIGINT at once.
TEST(InterruptGuardTest, SigintToTheWholeGroupLeavesNothing) {
  ExpectDiedOf(Interrupt(SIGINT, /*whole_group=*/true), SIGINT);
}

// SIGTERM (what `kill` and service managers send) is handled the same way.
TEST(InterruptGuardTest, SigtermLeavesNothing) {
  ExpectDiedOf(Interrupt(SIGTERM, /*whole_group=*/false), SIGTERM);
}

// The control experiment, proving the checks above can fail: with no guard and no
// PR_SET_PDEATHSIG, SIGINT to the parent alone orphans all four descendants.
TEST(InterruptGuardTest, WithoutTheGuardChildrenAreOrphaned) {
  ExpectDiedOf(
      Interrupt(SIGINT, /*whole_group=*/false, {"--guard=false", "--die_with_parent=false"}),
      SIGINT, /*leftover=*/4);  // RunProgram then kills them.
}

// A second guard while one exists is a programming error.
TEST(InterruptGuardDeathTest, OnlyOneAtATime) {
  EXPECT_DEATH(
      {
        InterruptGuard first;
        InterruptGuard second;
      },
      "only one may exist at a time");
}

// In-process: a guarded process that receives SIGTERM dies of SIGTERM (status 128+15 in a
// shell), even when its child ignores SIGTERM and has to be SIGKILLed after the grace
// period. (That nothing is left behind is what the RunProgram tests above check.)
TEST(InterruptGuardDeathTest, DiesOfTheSignalAfterStoppingItsChild) {
  EXPECT_EXIT(
      {
        InterruptGuard guard(absl::Milliseconds(100));
        Process child([] {
          signal(SIGTERM, SIG_IGN);  // Forces the SIGKILL step.
          while (true) pause();
        });
        if (!child.Start().ok()) _exit(1);
        raise(SIGTERM);
        _exit(2);  // Not reached: the guard re-raises SIGTERM with its default action.
      },
      testing::KilledBySignal(SIGTERM), "");
}

}  // namespace
}  // namespace process
