#include <set>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "thread/lesson_testing.h"

namespace {

using testing::HasSubstr;
using thread_testing::ExpectRejected;
using thread_testing::Groups;
using thread_testing::RunLesson;
using thread_testing::Search;
using thread_testing::SearchAll;

// The thread's write is seen by main; the child process's write to the same address is not.
TEST(ProcessVsThreadTest, ThreadsShareMemoryProcessesDoNot) {
  auto r = RunLesson("process_vs_thread", {"--value=7", "--spin=20ms"});
  const std::string& out = r.stdout_text;
  EXPECT_THAT(out, testing::ContainsRegex("the second thread wrote blackboard = 7 at 0x[0-9a-f]+; "
                                          "main reads 7 at 0x"));
  EXPECT_THAT(out, HasSubstr("= 8 (written)"));  // The child process writes value + 1.
  EXPECT_THAT(out, HasSubstr("= 7  <- still 7: the child's write is not seen"));
  // Every line names the same virtual address for the variable.
  std::set<std::string> addresses;
  for (const Groups& address : SearchAll(out, "at (0x[0-9a-f]+)")) {
    addresses.insert(address[1]);
  }
  EXPECT_EQ(addresses.size(), 1u) << out;
}

// Both threads report the same process id, each its own thread id.
TEST(ProcessVsThreadTest, SamePidDifferentThreadIds) {
  auto r = RunLesson("process_vs_thread", {"--spin=10ms"});
  const Groups main_match = Search(r.stdout_text, "main thread:   pid (\\d+), thread id (\\d+)");
  ASSERT_FALSE(main_match.empty()) << r.stdout_text;
  const Groups thread_match = Search(r.stdout_text, "second thread: pid (\\d+), thread id (\\d+)");
  ASSERT_FALSE(thread_match.empty()) << r.stdout_text;
  EXPECT_EQ(main_match[1], thread_match[1]);
  EXPECT_EQ(main_match[1], main_match[2]);  // The main thread's id is the pid.
  EXPECT_NE(thread_match[1], thread_match[2]);
}

// 进程是资源分配的最小单位: one memory map and one table of open files for both threads.
TEST(ProcessVsThreadTest, ResourcesBelongToTheProcess) {
  auto r = RunLesson("process_vs_thread", {"--spin=10ms"});
  EXPECT_THAT(r.stdout_text, HasSubstr("the same text, one address space"));
  EXPECT_THAT(r.stdout_text, testing::ContainsRegex("main's fd [0-9]+ is /dev/null, and main "
                                                    "wrote to it: it works"));
  EXPECT_THAT(r.stdout_text, HasSubstr("Resources belong to the process"));
}

// 线程是CPU调度的最小单位: the scheduler charges the computing to the second thread, not
// to main, which only waited. The bound is loose: main did almost nothing.
TEST(ProcessVsThreadTest, SchedulingIsPerThread) {
  auto r = RunLesson("process_vs_thread", {"--spin=200ms"});
  const Groups main_row = Search(r.stdout_text, "main thread \\(\\d+\\) +([0-9.]+)");
  ASSERT_FALSE(main_row.empty()) << r.stdout_text;
  const Groups second_row = Search(r.stdout_text, "second thread \\(\\d+\\) +([0-9.]+)");
  ASSERT_FALSE(second_row.empty()) << r.stdout_text;
  const double main_cpu_ms = std::stod(main_row[1]);
  const double second_cpu_ms = std::stod(second_row[1]);
  EXPECT_GE(second_cpu_ms, 150.0) << "it computed for 200 ms of its own CPU time";
  EXPECT_LT(main_cpu_ms, second_cpu_ms / 2) << "main only waited";
  EXPECT_THAT(r.stdout_text, HasSubstr("Scheduling is per thread"));
}

TEST(ProcessVsThreadTest, RejectsBadFlags) {
  ExpectRejected("process_vs_thread", "--value=0");
  ExpectRejected("process_vs_thread", "--value=ten");
  ExpectRejected("process_vs_thread", "--spin=5s");
  ExpectRejected("process_vs_thread", "--spin=100");  // A duration needs a unit.
}

}  // namespace
