// //process:start_methods: a forked child sees main's memory, a spawned one starts fresh,
// and spawned children without the role check form a chain of exactly --max_depth
// processes, each the child of the one before.
#include <string>

#include "common/lesson_testing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace {

using namespace ::lesson::testing;  // RunLesson, RanCleanly, Search, HasSubstr...

TEST(StartMethodsTest, ForkCopiesSpawnStartsFreshAndTheChainIsBounded) {
  lesson::ProgramResult r = RunLesson("process/start_methods", {"--max_depth=4"});
  ASSERT_THAT(r, RanCleanly());

  const Groups main_line = Search(r.stdout_text, "main: PID (\\d+), g_setting = 42");
  ASSERT_FALSE(main_line.empty()) << r.stdout_text;
  const std::string main_pid = main_line[1];
  EXPECT_FALSE(
      Search(r.stdout_text, "\\[fork child\\] PID \\d+, PPID " + main_pid + ": g_setting = 42")
          .empty())
      << r.stdout_text;
  EXPECT_FALSE(
      Search(r.stdout_text, "\\[spawn child\\] PID \\d+, PPID " + main_pid + ": g_setting = 0")
          .empty())
      << r.stdout_text;

  // The chain: depth d's parent is depth d-1 (depth 1's is main).
  const std::string level =
      "\\[depth (\\d)\\] PID (\\d+) \\(PPID (\\d+)\\): main\\(\\) ran again";
  std::string expected_parent = main_pid;
  int depth = 0;
  for (const std::string& line : Lines(r.stdout_text)) {
    const Groups m = Search(line, level);
    if (m.empty()) continue;
    ++depth;
    EXPECT_EQ(std::stoi(m[1]), depth);
    EXPECT_EQ(m[3], expected_parent);
    expected_parent = m[2];
  }
  EXPECT_EQ(depth, 4);
  EXPECT_THAT(r.stdout_text, HasSubstr("[depth 4] stopped by the lesson's --max_depth=4"));
}

TEST(StartMethodsTest, RejectsBadFlags) {
  for (const char* flag : {"--max_depth=0", "--max_depth=100", "--role=worker"}) {
    ExpectRejected("process/start_methods", flag);
  }
}

}  // namespace
