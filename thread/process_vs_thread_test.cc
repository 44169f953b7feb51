#include <set>
#include <string>

#include "common/lesson_testing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace {

using namespace ::lesson::testing;  // RunLesson, RanCleanly, Search, HasSubstr...

// The thread's write is seen by main; the child process's write to the same address is not.
TEST(ProcessVsThreadTest, ThreadsShareMemoryProcessesDoNot) {
  lesson::ProgramResult r = RunLesson("thread/process_vs_thread", {"--value=7", "--spin=20ms"});
  ASSERT_THAT(r, RanCleanly());
  const std::string& out = r.stdout_text;
  EXPECT_THAT(out, ContainsRegex("the second thread wrote blackboard = 7 at 0x[0-9a-f]+; "
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
  lesson::ProgramResult r = RunLesson("thread/process_vs_thread", {"--spin=10ms"});
  ASSERT_THAT(r, RanCleanly());
  const Groups ids = Search(r.stdout_text,
                            "main thread:   pid (\\d+), thread id (\\d+)\n"
                            "second thread: pid (\\d+), thread id (\\d+)");
  ASSERT_FALSE(ids.empty()) << r.stdout_text;
  const std::string &main_pid = ids[1], &main_tid = ids[2];
  const std::string &second_pid = ids[3], &second_tid = ids[4];
  EXPECT_EQ(main_pid, second_pid);
  EXPECT_EQ(main_pid, main_tid);  // The main thread's id is the pid.
  EXPECT_NE(second_pid, second_tid);
}

// 进程是资源分配的最小单位: one memory map and one table of open files for both threads.
TEST(ProcessVsThreadTest, ResourcesBelongToTheProcess) {
  lesson::ProgramResult r = RunLesson("thread/process_vs_thread", {"--spin=10ms"});
  ASSERT_THAT(r, RanCleanly());
  EXPECT_THAT(r.stdout_text, HasSubstr("the same text, one address space"));
  EXPECT_THAT(r.stdout_text, ContainsRegex("main's fd [0-9]+ is /dev/null, and main "
                                           "wrote to it: it works"));
  EXPECT_THAT(r.stdout_text, HasSubstr("Resources belong to the process"));
}

// 线程是CPU调度的最小单位: the scheduler charges the computing to the second thread, not
// to main, which only waited. The bound is loose: main did almost nothing.
TEST(ProcessVsThreadTest, SchedulingIsPerThread) {
  lesson::ProgramResult r = RunLesson("thread/process_vs_thread", {"--spin=200ms"});
  ASSERT_THAT(r, RanCleanly());
  const Groups rows = Search(r.stdout_text,
                             "main thread \\(\\d+\\) +([0-9.]+).*\n"
                             "second thread \\(\\d+\\) +([0-9.]+)");
  ASSERT_FALSE(rows.empty()) << r.stdout_text;
  const double main_cpu_ms = std::stod(rows[1]);
  const double second_cpu_ms = std::stod(rows[2]);
  EXPECT_GE(second_cpu_ms, 150.0) << "it computed for 200 ms of its own CPU time";
  EXPECT_LT(main_cpu_ms, second_cpu_ms / 2) << "main only waited";
  EXPECT_THAT(r.stdout_text, HasSubstr("Scheduling is per thread"));
}

TEST(ProcessVsThreadTest, RejectsBadFlags) {
  ExpectRejected("thread/process_vs_thread", "--value=0");
  ExpectRejected("thread/process_vs_thread", "--value=ten");
  ExpectRejected("thread/process_vs_thread", "--spin=5s");
  ExpectRejected("thread/process_vs_thread", "--spin=100");  // A duration needs a unit.
}

}  // namespace
