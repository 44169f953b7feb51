#include "common/run_program.h"

#include <signal.h>

#include "gtest/gtest.h"

namespace {

using lesson::RunProgram;

// Output, error output and exit status come back separately.
TEST(RunProgramTest, CapturesOutputAndExitCode) {
  auto r = RunProgram({"/bin/sh", "-c", "echo out; echo err >&2; exit 3"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.stdout_text, "out\n");
  EXPECT_EQ(r.stderr_text, "err\n");
  EXPECT_FALSE(r.timed_out);
  EXPECT_EQ(r.leftover_processes, 0);
}

// A program that runs too long is killed and reported, not waited for.
TEST(RunProgramTest, KillsAtTimeout) {
  auto r = RunProgram({"/bin/sleep", "100"}, {.timeout = absl::Milliseconds(200)});
  EXPECT_TRUE(r.timed_out);
  EXPECT_EQ(r.term_signal, SIGKILL);
  EXPECT_LT(r.elapsed, absl::Seconds(50));
}

// A child the program orphans is counted and killed.
TEST(RunProgramTest, ReportsAndKillsOrphans) {
  auto r = RunProgram({"/bin/sh", "-c", "sleep 100 >/dev/null 2>&1 & exit 0"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.leftover_processes, 1);
  EXPECT_LT(r.elapsed, absl::Seconds(50));
}

// The signal is delivered mid-run, as Ctrl-C would be.
TEST(RunProgramTest, DeliversSignal) {
  auto r = RunProgram({"/bin/sleep", "100"},
                      {.signal = SIGINT, .signal_after = absl::Milliseconds(100)});
  EXPECT_EQ(r.term_signal, SIGINT);
  EXPECT_FALSE(r.timed_out);
}

// A program that cannot be executed reports exit status 127.
TEST(RunProgramTest, MissingProgram) {
  auto r = RunProgram({"/no/such/program"});
  EXPECT_EQ(r.exit_code, 127);
}

}  // namespace
