// //process:kill: the watchdog SIGKILLs the blocked p1 after the deadline, main reports
// it, and only then do p2 and p3 run. Interrupted, the lesson leaves nothing behind.
#include <signal.h>

#include <regex>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "process/lesson_testing.h"

namespace process {
namespace {

using ::process::testing::FindLine;
using ::process::testing::Lines;
using ::process::testing::RunLesson;
using ::testing::HasSubstr;
using ::testing::Not;

TEST(KillTest, WatchdogKillsP1ThenP2AndP3Run) {
  lesson::ProgramResult r = RunLesson("kill", {"--deadline_ms=300"});
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  EXPECT_EQ(r.leftover_processes, 0);
  const std::vector<std::string> lines = Lines(r.stdout_text);

  const int blocked = FindLine(lines, "p1 (PID");
  const int watchdog = FindLine(lines, "p1 has blocked for 300 ms: kill -9");
  const int died = FindLine(lines, "killed by signal 9 (SIGKILL: Killed), after");
  const int p2 = FindLine(lines, "p2 (PID");
  const int p3 = FindLine(lines, "p3 (PID");
  ASSERT_GE(blocked, 0);
  EXPECT_LT(blocked, watchdog);
  EXPECT_LT(watchdog, died);
  EXPECT_LT(died, p2);  // p2 and p3 ran only after p1 was gone.
  EXPECT_LT(died, p3);
  EXPECT_THAT(r.stdout_text, HasSubstr("main: watchdog exited with code 0"));
  EXPECT_THAT(r.stdout_text, HasSubstr("main: p2 exited with code 0, p3 exited with code 0"));

  // p1 lived at least the deadline: the watchdog slept that long before the kill.
  std::smatch m;
  ASSERT_TRUE(std::regex_search(lines[died], m, std::regex("after (\\d+) ms")));
  EXPECT_GE(std::stoi(m[1]), 300);
}

// Ctrl-C while p1 is blocked: the lesson dies of SIGINT; p1 and the watchdog do not
// survive it, and p2/p3 never start.
TEST(KillTest, InterruptedLeavesNothing) {
  for (bool whole_group : {false, true}) {
    lesson::ProgramResult r = RunLesson("kill", {"--deadline_ms=30000"},
                                        {.timeout = absl::Seconds(60),
                                         .signal = SIGINT,
                                         .signal_after = absl::Seconds(1),
                                         .signal_whole_group = whole_group});
    EXPECT_EQ(r.term_signal, SIGINT) << whole_group;
    EXPECT_FALSE(r.timed_out);
    EXPECT_EQ(r.leftover_processes, 0) << whole_group;
    EXPECT_THAT(r.stdout_text, HasSubstr("blocked forever")) << whole_group;
    EXPECT_THAT(r.stdout_text, Not(HasSubstr("p2 (PID"))) << whole_group;
  }
}

TEST(KillTest, RejectsBadFlags) {
  for (const char* flag : {"--deadline_ms=0", "--deadline_ms=600000", "--deadline=5"}) {
    lesson::ProgramResult r = RunLesson("kill", {flag});
    EXPECT_EQ(r.exit_code, 2) << flag;
    EXPECT_EQ(Lines(r.stderr_text).size(), 1u) << r.stderr_text;
    EXPECT_EQ(r.stdout_text, "") << flag;
    EXPECT_EQ(r.leftover_processes, 0);
  }
}

}  // namespace
}  // namespace process
