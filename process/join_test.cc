// //process:join: without join() main's last line precedes the child's; with it the
// order is main, child, child, main and the exit code is read back; a parent that does
// not wait leaves an orphan that is re-parented. Nothing is left behind, even when the
// lesson is interrupted.
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

TEST(JoinTest, OrderWithoutAndWithJoin) {
  // 1 s of work: main's line right after fork() cannot be that late on any machine.
  lesson::ProgramResult r = RunLesson("join", {"--work_ms=1000", "--exit_code=42"});
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  EXPECT_EQ(r.leftover_processes, 0);
  const std::vector<std::string> lines = Lines(r.stdout_text);

  // Without join: main's second line comes before the child's last one.
  const int no_join = FindLine(lines, "进程没有阻塞");
  const int with_join = FindLine(lines, "有进程阻塞");
  ASSERT_GE(no_join, 0);
  ASSERT_GT(with_join, no_join);
  const int main_first = FindLine(lines, "我是主进程", no_join);
  const int main_second = FindLine(lines, "我是主进程", main_first + 1);
  const int child_last = FindLine(lines, "休息一会儿", no_join);
  ASSERT_GT(main_first, 0);
  EXPECT_LT(main_second, child_last);
  EXPECT_LT(child_last, with_join);
  EXPECT_THAT(r.stdout_text, HasSubstr("p1.is_alive() = True"));

  // With join: exactly main, child, child, main.
  const int a = FindLine(lines, "我是主进程", with_join);
  EXPECT_EQ(FindLine(lines, "开始写代码", with_join), a + 1);
  EXPECT_EQ(FindLine(lines, "休息一会儿", with_join), a + 2);
  EXPECT_EQ(FindLine(lines, "我是主进程", a + 1), a + 3);
  EXPECT_THAT(r.stdout_text, HasSubstr("p1.exitcode = 42: exited with code 42"));
}

// The orphan's PPID changes from its parent to the lesson, which adopts and reaps it.
TEST(JoinTest, AParentThatDoesNotWaitLeavesAnOrphan) {
  lesson::ProgramResult r = RunLesson("join", {"--work_ms=0"});
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  EXPECT_EQ(r.leftover_processes, 0);
  std::smatch before, after, main_pid;
  ASSERT_TRUE(
      std::regex_search(r.stdout_text, before, std::regex("orphan: PID (\\d+), PPID (\\d+)")));
  ASSERT_TRUE(std::regex_search(r.stdout_text, after, std::regex("my PPID is now (\\d+)")));
  ASSERT_TRUE(std::regex_search(r.stdout_text, main_pid,
                                std::regex("main \\(PID (\\d+)\\) adopted the orphan (\\d+)")));
  EXPECT_NE(before[2], after[1]);    // Re-parented...
  EXPECT_EQ(after[1], main_pid[1]);  // ...to the lesson, its subreaper.
  EXPECT_EQ(before[1], main_pid[2]);
  EXPECT_THAT(r.stdout_text, HasSubstr("and reaped it: exited with code 0"));
}

// Ctrl-C while the child works: the lesson dies of SIGINT and leaves nothing running,
// whether the signal reaches the lesson alone or the whole process group.
TEST(JoinTest, InterruptedLeavesNothing) {
  for (bool whole_group : {false, true}) {
    lesson::ProgramResult r = RunLesson("join", {"--work_ms=5000"},
                                        {.timeout = absl::Seconds(60),
                                         .signal = SIGINT,
                                         .signal_after = absl::Seconds(1),
                                         .signal_whole_group = whole_group});
    EXPECT_EQ(r.term_signal, SIGINT) << whole_group;
    EXPECT_EQ(r.leftover_processes, 0) << whole_group;
    EXPECT_THAT(r.stdout_text, HasSubstr("开始写代码")) << whole_group;
    EXPECT_THAT(r.stdout_text, Not(HasSubstr("有进程阻塞"))) << whole_group;
  }
}

TEST(JoinTest, RejectsBadFlags) {
  for (const char* flag : {"--exit_code=256", "--exit_code=-1", "--work_ms=-5", "--work_ms=x"}) {
    lesson::ProgramResult r = RunLesson("join", {flag});
    EXPECT_EQ(r.exit_code, 2) << flag;
    EXPECT_EQ(Lines(r.stderr_text).size(), 1u) << r.stderr_text;
    EXPECT_EQ(r.stdout_text, "") << flag;
  }
}

}  // namespace
}  // namespace process
