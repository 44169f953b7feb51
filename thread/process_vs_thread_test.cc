#include <regex>
#include <set>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "thread/lesson_testing.h"

namespace {

using testing::HasSubstr;
using thread_testing::ExpectRejected;
using thread_testing::RunLesson;

// The thread's write is seen by main; the child process's write to the same address is not.
TEST(ProcessVsThreadTest, ThreadsShareMemoryProcessesDoNot) {
  auto r = RunLesson("process_vs_thread", {"--value=7"});
  const std::string& out = r.stdout_text;
  EXPECT_THAT(out, HasSubstr("= 7 (written)"));
  EXPECT_THAT(out, HasSubstr("main thread after join: blackboard = 7  <- the thread's write"));
  EXPECT_THAT(out, HasSubstr("= 8 (written)"));  // The child process writes value + 1.
  EXPECT_THAT(out, HasSubstr("= 7  <- still 7: not seen"));
  // Every line names the same virtual address for the variable.
  std::set<std::string> addresses;
  const std::regex address("blackboard at (0x[0-9a-f]+)");
  for (auto it = std::sregex_iterator(out.begin(), out.end(), address);
       it != std::sregex_iterator(); ++it) {
    addresses.insert((*it)[1]);
  }
  EXPECT_EQ(addresses.size(), 1u) << out;
}

// Both threads report the same process id.
TEST(ProcessVsThreadTest, SamePidDifferentThreadIds) {
  auto r = RunLesson("process_vs_thread");
  std::smatch main_match, thread_match;
  const std::regex main_line("main thread:   pid (\\d+), thread id (\\d+)");
  const std::regex thread_line("second thread: pid (\\d+), thread id (\\d+)");
  ASSERT_TRUE(std::regex_search(r.stdout_text, main_match, main_line));
  ASSERT_TRUE(std::regex_search(r.stdout_text, thread_match, thread_line));
  EXPECT_EQ(main_match[1], thread_match[1]);
  EXPECT_EQ(main_match[1], main_match[2]);  // The main thread's id is the pid.
  EXPECT_NE(thread_match[1], thread_match[2]);
}

TEST(ProcessVsThreadTest, RejectsBadFlags) {
  ExpectRejected("process_vs_thread", "--value=0");
  ExpectRejected("process_vs_thread", "--value=ten");
}

}  // namespace
