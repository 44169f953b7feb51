// //process:join: without join() main's last line precedes the child's; with it the
// order is main, child, child, main and the exit code is read back; a parent that does
// not wait leaves an orphan that is re-parented. Nothing is left behind, even when the
// lesson is interrupted. The trace shows the child as its own process and main waiting.
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "common/lesson_testing.h"
#include "common/trace_reading.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "process/interrupt_testing.h"

namespace {

using namespace ::lesson::testing;  // RunLesson, RanCleanly, Search, HasSubstr...

TEST(JoinTest, OrderWithoutAndWithJoin) {
  // 1 s of work: main's line right after fork() cannot be that late on any machine.
  lesson::ProgramResult r = RunLesson("process/join", {"--work=1s", "--exit_code=42"});
  ASSERT_THAT(r, RanCleanly());
  const std::vector<std::string> lines = Lines(r.stdout_text);

  // Without join: main's second line comes before the child's last one.
  const int no_join = FindLine(lines, "--- No join");
  const int with_join = FindLine(lines, "--- With join");
  ASSERT_GE(no_join, 0);
  ASSERT_GT(with_join, no_join);
  const int main_first = FindLine(lines, "我是主进程", no_join);
  const int main_second = FindLine(lines, "我是主进程", main_first + 1);
  const int child_first = FindLine(lines, "开始写代码", no_join);
  const int child_last = FindLine(lines, "休息一会儿", no_join);
  ASSERT_GT(main_first, 0);
  EXPECT_LT(main_second, child_last);
  EXPECT_LT(child_last, with_join);
  EXPECT_THAT(r.stdout_text, HasSubstr("p1.is_alive() = True"));
  // The lesson reports the order the lines really came out in.
  const std::string order = main_second < child_first ? "main, main, child, child"
                                                      : "main, child, main, child";
  EXPECT_THAT(r.stdout_text, HasSubstr("The lines came out in this order: " + order + " ("));

  // With join: exactly main, child, child, main.
  const int a = FindLine(lines, "我是主进程", with_join);
  EXPECT_EQ(FindLine(lines, "开始写代码", with_join), a + 1);
  EXPECT_EQ(FindLine(lines, "休息一会儿", with_join), a + 2);
  EXPECT_EQ(FindLine(lines, "我是主进程", a + 1), a + 3);
  EXPECT_THAT(r.stdout_text, HasSubstr("p1.exitcode = 42: exited with code 42"));
  EXPECT_THAT(r.stdout_text, HasSubstr("its exit code, 42, was there to read"));
}

// The tutorial's lines are printed as the tutorial has them, in either language.
TEST(JoinTest, TutorialLinesUnchangedInChinese) {
  lesson::ProgramResult r = RunLesson("process/join", {"--work=0s", "--lang=zh"});
  ASSERT_THAT(r, RanCleanly());
  EXPECT_FALSE(Search(r.stdout_text, "\n我是主进程，PID是\\d+\n").empty()) << r.stdout_text;
  EXPECT_FALSE(Search(r.stdout_text, "\n开始写代码，PID是\\d+\n").empty()) << r.stdout_text;
  EXPECT_FALSE(Search(r.stdout_text, "\n休息一会儿，PID是\\d+\n").empty()) << r.stdout_text;
}

// The orphan's PPID changes from its parent to the lesson, which adopts and reaps it.
TEST(JoinTest, AParentThatDoesNotWaitLeavesAnOrphan) {
  lesson::ProgramResult r = RunLesson("process/join", {"--work=0s"});
  ASSERT_THAT(r, RanCleanly());
  const Groups before = Search(r.stdout_text, "orphan: PID (\\d+), PPID (\\d+)");
  ASSERT_FALSE(before.empty()) << r.stdout_text;
  const Groups after = Search(r.stdout_text, "my PPID is now (\\d+)");
  ASSERT_FALSE(after.empty()) << r.stdout_text;
  const Groups main_pid = Search(r.stdout_text, "main \\(PID (\\d+)\\) adopted the orphan (\\d+)");
  ASSERT_FALSE(main_pid.empty()) << r.stdout_text;
  EXPECT_NE(before[2], after[1]);    // Re-parented...
  EXPECT_EQ(after[1], main_pid[1]);  // ...to the lesson, its subreaper.
  EXPECT_EQ(before[1], main_pid[2]);
  EXPECT_THAT(r.stdout_text, HasSubstr("and reaped it: exited with code 0"));
}

// --trace: p1 is a process of its own (its pid, named "p1"), and main is blocked in
// join() (a span in the state "join") while p1 works, until p1 has ended. p1 may begin
// working before main reaches join(), so the span is checked to hold p1's end, not its
// whole life.
TEST(JoinTest, TraceShowsTheChildAndMainWaitingForIt) {
  const std::string path = ::testing::TempDir() + "/join_trace.json";
  lesson::ProgramResult r = RunLesson("process/join", {"--work=200ms", "--trace=" + path});
  ASSERT_THAT(r, RanCleanly());
  const Groups m = Search(r.stdout_text, "我是主进程，PID是(\\d+)");
  ASSERT_FALSE(m.empty()) << r.stdout_text;
  const int main_pid = std::stoi(m[1]);

  const trace_reading::Trace trace = trace_reading::Read(path);
  ASSERT_EQ(trace.error, "");
  std::map<long, std::pair<double, double>> alive;  // pid -> first and last event
  std::vector<std::pair<double, double>> joins;     // main's join spans
  for (const trace_reading::Event& e : trace.events) {
    auto [it, inserted] = alive.emplace(e.pid, std::make_pair(e.ts, e.ts));
    if (!inserted) it->second.second = std::max(it->second.second, e.ts);
  }
  for (const trace_reading::Span& s : trace.InState("join")) {
    if (s.pid == main_pid) joins.emplace_back(s.begin, s.end);
  }
  // Two p1s (without and with join), each a process of its own, not main.
  const std::vector<long> p1s = trace.PidsNamed("p1");
  ASSERT_EQ(p1s.size(), 2u) << "processes named p1 in the trace";
  for (long p1 : p1s) EXPECT_NE(p1, main_pid);
  // The joined p1 is the one that started last (pids may wrap, times do not).
  const long joined = alive[p1s[0]].first > alive[p1s[1]].first ? p1s[0] : p1s[1];
  const auto [p1_first, p1_last] = alive[joined];
  bool waited = false;
  for (const auto& [begin, end] : joins) waited = waited || (begin <= p1_last && end >= p1_last);
  EXPECT_TRUE(waited) << "no join span on main (PID " << main_pid << ") holds the end of p1 "
                      << joined << " (alive " << p1_first << ".." << p1_last << ")";
}

// Ctrl-C while the child works: the lesson dies of SIGINT and leaves nothing running,
// whether the signal reaches the lesson alone or the whole process group.
TEST(JoinTest, InterruptedLeavesNothing) {
  process::testing::ExpectInterruptedCleanly("process/join", {"--work=5s"},
                                             /*reached=*/"开始写代码", /*not_reached=*/"With join");
}

TEST(JoinTest, RejectsBadFlags) {
  for (const char* flag : {"--exit_code=256", "--exit_code=-1", "--work=-5ms", "--work=x",
                           "--work=300", "--work_ms=300", "--work=6s"}) {
    ExpectRejected("process/join", flag);
  }
}

}  // namespace
