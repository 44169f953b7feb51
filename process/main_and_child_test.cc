// //process:main_and_child: the child's PPID is the main process's PID, every child has
// a PID of its own, each ends with code 0 and none is left behind.
#include <set>
#include <string>

#include "common/lesson_testing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace {

using namespace ::lesson::testing;  // RunLesson, RanCleanly, Search, HasSubstr...

TEST(MainAndChildTest, ChildrenAreChildrenOfTheMainProcess) {
  lesson::ProgramResult r = RunLesson("process/main_and_child", {"--children=3"});
  ASSERT_THAT(r, RanCleanly());
  EXPECT_THAT(r.stdout_text, HasSubstr("主进程、子进程  (Main process and child process)"));

  const Groups main_line = Search(r.stdout_text, "我是主进程，PID是(\\d+)");
  ASSERT_FALSE(main_line.empty()) << r.stdout_text;
  const std::string main_pid = main_line[1];

  // Each child prints the tutorial's lines unchanged, then its PID and PPID.
  EXPECT_EQ(Count(r.stdout_text, "开始写代码，PID是"), 3);
  EXPECT_EQ(Count(r.stdout_text, "休息一会儿，PID是"), 3);
  std::set<std::string> child_pids;
  for (const std::string& line : Lines(r.stdout_text)) {
    const Groups m = Search(line, "\\(child: PID (\\d+), its parent's PID \\(PPID\\) (\\d+),");
    if (!m.empty()) {
      EXPECT_EQ(m[2], main_pid);  // The parent of each child is the main process.
      EXPECT_NE(m[1], main_pid);
      EXPECT_THAT(r.stdout_text, HasSubstr("开始写代码，PID是" + m[1] + "\n"));
      child_pids.insert(m[1]);
    }
  }
  EXPECT_EQ(child_pids.size(), 3u);  // Three different PIDs.
  for (const std::string& pid : child_pids) {
    EXPECT_THAT(r.stdout_text, HasSubstr("child " + pid + " exited with code 0"));
  }
  EXPECT_THAT(r.stdout_text, HasSubstr("children still listed in /proc: 0"));
  EXPECT_THAT(r.stdout_text, HasSubstr("After join() all 3 children had exited with code 0"));
}

// /proc shows the main process and its child while the child runs (the task manager).
TEST(MainAndChildTest, ProcListsBothProcesses) {
  lesson::ProgramResult r = RunLesson("process/main_and_child");
  ASSERT_THAT(r, RanCleanly());
  const Groups m = Search(r.stdout_text, "我是主进程，PID是(\\d+)");
  ASSERT_FALSE(m.empty()) << r.stdout_text;
  const std::string main_pid = m[1];
  // A /proc row whose PPID column is the main PID: the child, alive at that moment.
  EXPECT_FALSE(
      Search(r.stdout_text, "\n +\\d+ +" + main_pid + " +[RSD] +main_and_child .*child process")
          .empty())
      << r.stdout_text;
  EXPECT_FALSE(Search(r.stdout_text, "\n +" + main_pid + " .*main process").empty())
      << r.stdout_text;
}

// Parent and child print the same address for the global: an address is not a PID.
TEST(MainAndChildTest, SameAddressInBothProcesses) {
  lesson::ProgramResult r = RunLesson("process/main_and_child");
  ASSERT_THAT(r, RanCleanly());
  const Groups child = Search(r.stdout_text, "\\(child: PID .*&g_marker = (0x[0-9a-f]+)\\)");
  ASSERT_FALSE(child.empty()) << r.stdout_text;
  const Groups parent = Search(r.stdout_text, "main: &g_marker = (0x[0-9a-f]+)");
  ASSERT_FALSE(parent.empty()) << r.stdout_text;
  EXPECT_EQ(child[1], parent[1]);
}

// A nonsensical flag: one line naming it and its range, exit status 2.
TEST(MainAndChildTest, RejectsBadFlag) {
  ExpectRejectedSaying("process/main_and_child", "--children=0",
                       "main_and_child: --children=0 is out of range; allowed: 1 to 32\n");
}

}  // namespace
