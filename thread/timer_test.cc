#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "thread/lesson_testing.h"
#include "thread/trace_testing.h"

namespace {

using testing::HasSubstr;
using thread_testing::ExpectRejected;
using thread_testing::Find;
using thread_testing::Groups;
using thread_testing::RunLesson;
using thread_testing::Search;

// The timer's function starts after the delay, never before it; then the tutorial's lines.
TEST(TimerLessonTest, StartsAfterTheDelay) {
  auto r = RunLesson("timer", {"--delay=200ms"});
  const Groups fired = Search(r.stdout_text, "\\(([0-9.]+) ms after start\\(\\), on thread t1\\)");
  ASSERT_FALSE(fired.empty()) << r.stdout_text;
  EXPECT_GE(std::stod(fired[1]), 200.0);
  EXPECT_THAT(r.stdout_text, HasSubstr("threads alive now: 2"));
  const std::string& out = r.stdout_text;
  EXPECT_LT(Find(out, "\n启动线程\n"), Find(out, "\n结束线程\n"));
  EXPECT_LT(Find(out, "\n结束线程\n"), Find(out, "\n结束\n"));
  EXPECT_THAT(out, HasSubstr("ms after the 200ms delay and never before it"));
}

// Cancelled in time, it never runs; cancelled too late, Cancel() says so.
TEST(TimerLessonTest, CancelledTimerNeverRuns) {
  auto r = RunLesson("timer", {"--delay=200ms"});
  EXPECT_THAT(r.stdout_text, HasSubstr("returned true: the action will never run"));
  EXPECT_THAT(r.stdout_text, HasSubstr("ran = false, state = cancelled"));
  EXPECT_THAT(r.stdout_text, HasSubstr("ran 1 time(s); Cancel() afterwards returned false"));
  EXPECT_THAT(r.stdout_text, HasSubstr("the action never ran. Python's cancel() returns nothing"));
}

// The timeline: the delay is a sleep span on the timer's thread, then it fired (t1) or
// was cancelled (t2).
TEST(TimerLessonTest, TraceShowsDelayFiringAndCancel) {
  lesson_trace::Trace trace = lesson_trace::RunTraced("timer", {"--delay=100ms"});
  bool t1_slept = false;
  for (const lesson_trace::Span& s : lesson_trace::InState(trace, "sleep")) {
    if (s.thread == "t1" && s.end - s.begin >= 50e3) t1_slept = true;  // Most of it.
  }
  EXPECT_TRUE(t1_slept) << "t1's delay as a sleep span";
  bool t1_fired = false, t2_cancelled = false;
  for (const lesson_trace::Event& e : trace.instants) {
    if (e.thread == "t1" && e.name == "Timer fired") t1_fired = true;
    if (e.thread == "t2" && e.name == "Timer cancelled: the action never runs") t2_cancelled = true;
  }
  EXPECT_TRUE(t1_fired);
  EXPECT_TRUE(t2_cancelled);
}

TEST(TimerLessonTest, RejectsBadFlags) {
  ExpectRejected("timer", "--delay=-1s");
  ExpectRejected("timer", "--delay=11s");
  ExpectRejected("timer", "--delay=5");  // A duration needs a unit.
}

}  // namespace
