// //process:start_methods: a forked child sees main's memory, a spawned one starts fresh,
// and spawned children without the role check form a chain of exactly --max_depth
// processes, each the child of the one before.
#include <regex>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "process/lesson_testing.h"

namespace process {
namespace {

using ::process::testing::ExpectRejected;
using ::process::testing::Lines;
using ::process::testing::RunLesson;
using ::testing::HasSubstr;

TEST(StartMethodsTest, ForkCopiesSpawnStartsFreshAndTheChainIsBounded) {
  lesson::ProgramResult r = RunLesson("start_methods", {"--max_depth=4"});
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  EXPECT_EQ(r.leftover_processes, 0);

  std::smatch m;
  ASSERT_TRUE(std::regex_search(r.stdout_text, m, std::regex("main: PID (\\d+), g_setting = 42")));
  const std::string main_pid = m[1];
  EXPECT_TRUE(std::regex_search(r.stdout_text, std::regex("\\[fork child\\] PID \\d+, PPID " +
                                                          main_pid + ": g_setting = 42")));
  EXPECT_TRUE(std::regex_search(r.stdout_text, std::regex("\\[spawn child\\] PID \\d+, PPID " +
                                                          main_pid + ": g_setting = 0")));

  // The chain: depth d's parent is depth d-1 (depth 1's is main).
  const std::regex level("\\[depth (\\d)\\] PID (\\d+) \\(PPID (\\d+)\\): main\\(\\) ran again");
  std::string expected_parent = main_pid;
  int depth = 0;
  for (const std::string& line : Lines(r.stdout_text)) {
    if (!std::regex_search(line, m, level)) continue;
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
    ExpectRejected("start_methods", flag);
  }
}

}  // namespace
}  // namespace process
