// //process:kill: the watchdog SIGKILLs the blocked p1 after the deadline, main reports
// it, and only then do p2 and p3 run. Interrupted, the lesson leaves nothing behind.
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

TEST(KillTest, WatchdogKillsP1ThenP2AndP3Run) {
  lesson::ProgramResult r = RunLesson("process/kill", {"--deadline=300ms"});
  ASSERT_THAT(r, RanCleanly());
  const std::vector<std::string> lines = Lines(r.stdout_text);

  const int blocked = FindLine(lines, "p1 (PID");
  const int watchdog = FindLine(lines, "p1 has blocked for 300ms: kill -9");
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
  const Groups m = Search(lines[died], "after (\\d+) ms");
  ASSERT_FALSE(m.empty()) << lines[died];
  EXPECT_GE(std::stoi(m[1]), 300);
}

// Ctrl-C while p1 is blocked: the lesson dies of SIGINT; p1 and the watchdog do not
// survive it, and p2/p3 never start.
TEST(KillTest, InterruptedLeavesNothing) {
  process::testing::ExpectInterruptedCleanly("process/kill", {"--deadline=30s"},
                                             /*reached=*/"blocked forever",
                                             /*not_reached=*/"p2 (PID");
}

// --trace: p1 is blocked from its start until the kill; its span, never ended by p1
// itself, is closed where main reaped it, after the watchdog's "SIGKILL sent" instant;
// main is blocked in join(p1) meanwhile; p2 and p3 run only afterwards.
TEST(KillTest, TraceShowsP1BlockedUntilTheKill) {
  const std::string path = ::testing::TempDir() + "/kill_trace.json";
  lesson::ProgramResult r = RunLesson("process/kill", {"--deadline=300ms", "--trace=" + path});
  ASSERT_THAT(r, RanCleanly());
  const trace_reading::Trace trace = trace_reading::Read(path);
  ASSERT_EQ(trace.error, "");
  const long p1 = trace.PidOf("p1"), p2 = trace.PidOf("p2"), main = trace.PidOf("kill");
  ASSERT_TRUE(p1 && p2 && main) << "main (kill), p1 and p2 named in the trace";
  double blocked_begin = -1, blocked_end = -1, kill_sent = -1, p1_reaped = -1, p2_first = -1;
  double join_begin = -1, join_end = -1;
  for (const trace_reading::Span& s : trace.spans) {
    if (s.pid == p1 && s.name == "blocked forever: pause()") {
      blocked_begin = s.begin;
      blocked_end = s.end;
    }
    if (s.pid == main && s.name.find("join p1 ") == 0) {
      join_begin = s.begin;
      join_end = s.end;
    }
  }
  for (const trace_reading::Event& e : trace.events) {
    if (e.phase == "i" && e.name == "SIGKILL sent to p1 (kill -9)") kill_sent = e.ts;
    if (e.phase == "i" && e.category == "process" && e.ArgNumber("child") == p1) p1_reaped = e.ts;
    if (e.pid == p2 && p2_first < 0) p2_first = e.ts;
  }
  ASSERT_GE(blocked_begin, 0) << "p1's blocked span is missing";
  ASSERT_GE(kill_sent, 0) << "no SIGKILL instant";
  EXPECT_LT(blocked_begin, kill_sent);
  EXPECT_EQ(blocked_end, p1_reaped) << "p1's span is closed where main reaped it";
  EXPECT_GE(blocked_end, kill_sent);
  EXPECT_GE(blocked_end - blocked_begin, 300'000 * 0.9) << "p1 blocked for the deadline (us)";
  ASSERT_GE(join_begin, 0) << "main's join(p1) span is missing";
  EXPECT_LE(join_begin, kill_sent);
  EXPECT_GE(join_end, blocked_end) << "main waited in join(p1) until p1 was reaped";
  EXPECT_GT(p2_first, blocked_end) << "p2 ran only after p1 was gone";
}

TEST(KillTest, RejectsBadFlags) {
  for (const char* flag : {"--deadline=0s", "--deadline=10m", "--deadline=5", "--deadlin=5s",
                           "--deadline_ms=300"}) {
    ExpectRejected("process/kill", flag);
  }
  EXPECT_THAT(RunLesson("process/kill", {"--deadlin=5s"}).stderr_text,
              HasSubstr("did you mean --deadline"));
}

}  // namespace
