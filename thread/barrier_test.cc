#include <string>
#include <vector>

#include "common/lesson_testing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "thread/trace_testing.h"

namespace {

using namespace ::lesson::testing;  // RunLesson, RanCleanly, Search, HasSubstr...

// The tutorial's case: three pass, two are released (deadline, then abort), none hangs.
TEST(BarrierTest, ThreePassTwoAreReleased) {
  lesson::ProgramResult r = RunLesson("thread/barrier", {"--timeout=100ms"});
  ASSERT_THAT(r, RanCleanly());
  const std::string out = LiveOutput(r.stdout_text);
  EXPECT_EQ(Count(out, "] 子线程数量达到3\n"), 6) << out;  // 3 in step 1, 3 in step 2.
  EXPECT_EQ(Count(out, "] 当前活动的子线程数量: "), 10) << out;
  EXPECT_EQ(Count(out, "released at its deadline"), 2) << out;
  EXPECT_EQ(Count(out, "the barrier was aborted"), 2) << out;
  EXPECT_THAT(out, HasSubstr("std::barrier: phase 2 complete"));
  EXPECT_EQ(Count(out, "absl::Barrier: all 3 arrived"), 1);
  EXPECT_THAT(out, HasSubstr("CPython 3.11.7 ran the tutorial's Barrier program 30 times"));
  EXPECT_THAT(r.stdout_text, HasSubstr("1 group(s) of 3 formed and passed together (3 of 5"));
  EXPECT_THAT(r.stdout_text, HasSubstr("2 thread(s) were left over"));
}

// Seven threads, groups of three: two groups pass, one thread is left over.
TEST(BarrierTest, SevenThreadsGroupsOfThree) {
  lesson::ProgramResult r =
      RunLesson("thread/barrier", {"--threads=7", "--parties=3", "--timeout=100ms"});
  ASSERT_THAT(r, RanCleanly());
  const std::string out = LiveOutput(r.stdout_text);
  EXPECT_EQ(Count(out, "] 子线程数量达到3\n"), 12) << out;
  EXPECT_EQ(Count(out, "released at its deadline"), 1);
  EXPECT_EQ(Count(out, "the barrier was aborted"), 1);
  EXPECT_THAT(r.stdout_text, HasSubstr("2 group(s) of 3 formed and passed together (6 of 7"));
  EXPECT_THAT(r.stdout_text, HasSubstr("1 thread(s) were left over"));
}

// Fewer threads than parties: nobody passes, and no sentence says anyone did.
TEST(BarrierTest, TooFewThreadsNobodyPasses) {
  lesson::ProgramResult r = RunLesson("thread/barrier", {"--threads=2", "--timeout=50ms"});
  ASSERT_THAT(r, RanCleanly());
  const std::string out = LiveOutput(r.stdout_text);
  EXPECT_EQ(Count(out, "子线程数量达到"), 0) << out;
  EXPECT_EQ(Count(out, "released at its deadline"), 2);
  EXPECT_THAT(r.stdout_text, HasSubstr("No group could form: Barrier(3) needs 3 threads and "
                                       "only 2 came, so nobody passed."));
  EXPECT_THAT(r.stdout_text, Not(HasSubstr("passed together")));
}

// A multiple of the party size: nobody is left over, nothing is aborted.
TEST(BarrierTest, EveryThreadFindsAGroup) {
  lesson::ProgramResult r = RunLesson("thread/barrier", {"--threads=6", "--timeout=50ms"});
  ASSERT_THAT(r, RanCleanly());
  const std::string out = LiveOutput(r.stdout_text);
  EXPECT_EQ(Count(out, "] released"), 0) << out;
  EXPECT_THAT(out, Not(HasSubstr("main: Abort()")));
  EXPECT_THAT(r.stdout_text, HasSubstr("Every thread found a group (6 is a multiple of 3)"));
  EXPECT_THAT(r.stdout_text, HasSubstr("the abort timer was never started"));
  EXPECT_THAT(r.stdout_text, Not(HasSubstr("left over and could never")));
}

// Barrier(1): every thread passes alone.
TEST(BarrierTest, PartiesOfOne) {
  lesson::ProgramResult r =
      RunLesson("thread/barrier", {"--threads=2", "--parties=1", "--timeout=50ms"});
  ASSERT_THAT(r, RanCleanly());
  EXPECT_THAT(r.stdout_text, HasSubstr("Barrier(1) lets every thread through alone: all 2 "
                                       "passed"));
}

// The timeline: each of the five threads waits at the barrier in step 1; the group's
// release and the two deadlines are instants.
TEST(BarrierTest, TraceShowsTheWaitsAndTheReleases) {
  lesson_trace::Trace trace = lesson_trace::RunTraced("thread/barrier", {"--timeout=50ms"});
  const std::vector<lesson_trace::Span> waits = trace.InState("barrier");
  int timed_waits = 0;
  for (const lesson_trace::Span& s : waits) {
    if (s.name == "barrier.wait()") ++timed_waits;
    EXPECT_THAT(s.thread, AnyOf(StartsWith("Thread-"), StartsWith("std::barrier"),
                                StartsWith("absl::Barrier")));
  }
  // Steps 1 and 2: two of each group of three wait (the third releases them), and the
  // two left over wait: 2 + 2 per step.
  EXPECT_EQ(timed_waits, 8);
  EXPECT_EQ(lesson_trace::CountInstants(trace, "barrier: group complete, all released"), 2);
  EXPECT_EQ(lesson_trace::CountInstants(trace, "barrier: released at its deadline, did not pass"),
            2);
  EXPECT_EQ(lesson_trace::CountInstants(trace, "barrier: released by abort, did not pass"), 2);
}

TEST(BarrierTest, RejectsBadFlags) {
  ExpectRejected("thread/barrier", "--parties=0");
  ExpectRejected("thread/barrier", "--threads=1000");
  ExpectRejected("thread/barrier", "--timeout=0s");
  ExpectRejected("thread/barrier", "--thread=3");  // Misspelt.
}

// A bare number for a duration: the one line says a unit is needed.
TEST(BarrierTest, DurationWithoutAUnitAsksForOne) {
  ExpectRejected("thread/barrier", "--timeout=1");
  lesson::ProgramResult r = RunLesson("thread/barrier", {"--timeout=1"});
  EXPECT_THAT(r.stderr_text, HasSubstr("add a unit"));
}

}  // namespace
