#include <string>

#include "common/lesson_testing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "thread/trace_testing.h"

namespace {

using namespace ::lesson::testing;  // RunLesson, RanCleanly, Search, HasSubstr...

// The timer's function starts after the delay, never before it; then the tutorial's lines.
TEST(TimerLessonTest, StartsAfterTheDelay) {
  lesson::ProgramResult r = RunLesson("thread/timer", {"--delay=200ms"});
  ASSERT_THAT(r, RanCleanly());
  const Groups fired = Search(r.stdout_text, "\\(([0-9.]+) ms after start\\(\\), on thread t1\\)");
  ASSERT_FALSE(fired.empty()) << r.stdout_text;
  EXPECT_GE(std::stod(fired[1]), 200.0);
  EXPECT_THAT(r.stdout_text, HasSubstr("threads alive now: 2"));
  const std::string& out = r.stdout_text;
  // In this order, though main's one "started a ... timer" line may fall between them when
  // a loaded machine holds main back past the delay.
  EXPECT_THAT(out, ContainsRegex("\n启动线程\n([^\n]*\n)?结束线程\n([^\n]*\n)?结束\n"));
  EXPECT_THAT(out, HasSubstr("ms after the 200ms delay and never before it"));
}

// Cancelled in time, it never runs; cancelled too late, Cancel() says so.
TEST(TimerLessonTest, CancelledTimerNeverRuns) {
  lesson::ProgramResult r = RunLesson("thread/timer", {"--delay=200ms"});
  ASSERT_THAT(r, RanCleanly());
  EXPECT_THAT(r.stdout_text, HasSubstr("returned true: the action will never run"));
  EXPECT_THAT(r.stdout_text, HasSubstr("ran = false, state = cancelled"));
  EXPECT_THAT(r.stdout_text, HasSubstr("ran 1 time(s); Cancel() afterwards returned false"));
  EXPECT_THAT(r.stdout_text, HasSubstr("the action never ran. Python's cancel() returns nothing"));
}

// The timeline: the delay is a sleep span on the timer's thread, then it fired (t1) or
// was cancelled (t2).
TEST(TimerLessonTest, TraceShowsDelayFiringAndCancel) {
  lesson_trace::Trace trace = lesson_trace::RunTraced("thread/timer", {"--delay=100ms"});
  bool t1_slept = false;
  for (const lesson_trace::Span& s : trace.InState("sleep")) {
    if (s.thread == "t1" && s.end - s.begin >= 50e3) t1_slept = true;  // Most of it.
  }
  EXPECT_TRUE(t1_slept) << "t1's delay as a sleep span";
  EXPECT_EQ(lesson_trace::CountInstants(trace, "Timer fired", "t1"), 1);
  EXPECT_EQ(lesson_trace::CountInstants(trace, "Timer cancelled: the action never runs", "t2"), 1);
}

TEST(TimerLessonTest, RejectsBadFlags) {
  ExpectRejected("thread/timer", "--delay=-1s");
  ExpectRejected("thread/timer", "--delay=11s");
  ExpectRejected("thread/timer", "--delay=5");  // A duration needs a unit.
}

}  // namespace
