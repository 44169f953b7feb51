#include <string>
#include <vector>

#include "absl/time/time.h"
#include "common/lesson_testing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "thread/trace_testing.h"

namespace {

using namespace ::lesson::testing;  // RunLesson, RanCleanly, Search, HasSubstr...

// A lock never released blocks the next thread; opposite lock orders deadlock every
// run; the timeout reports both; scoped_lock fixes the second.
TEST(DeadlockTest, DetectedThenFixed) {
  lesson::ProgramResult r = RunLesson("thread/deadlock", {"--timeout=50ms", "--rounds=1000"});
  ASSERT_THAT(r, RanCleanly());
  const std::string& out = r.stdout_text;
  EXPECT_THAT(out, HasSubstr("t1 took the lock and returned early, without unlock()"));
  EXPECT_THAT(out, HasSubstr("t2 gave up after"));
  EXPECT_THAT(out, HasSubstr("t1 gave up on B after"));
  EXPECT_THAT(out, HasSubstr("t2 gave up on A after"));
  EXPECT_THAT(out, HasSubstr("DEADLOCK detected"));
  EXPECT_THAT(out, HasSubstr("t1 took both locks 1000 times, t2 1000 times"));
  EXPECT_THAT(out, HasSubstr("Step 1 is the tutorial's 死锁"));
  EXPECT_THAT(out, HasSubstr("Step 2 deadlocked, as it does every run"));
  EXPECT_LT(r.elapsed, absl::Seconds(30));  // It ends by itself.
}

// The timeline shows the deadlock: t1 and t2 each wait for the lock the other holds, at
// the same time, each inside the span of the lock it holds.
TEST(DeadlockTest, TraceShowsBothThreadsWaitingForEachOther) {
  lesson_trace::Trace trace =
      lesson_trace::RunTraced("thread/deadlock", {"--timeout=50ms", "--rounds=10"});
  const lesson_trace::Span* t1_waits = nullptr;
  const lesson_trace::Span* t2_waits = nullptr;
  for (const lesson_trace::Span& s : trace.spans) {
    if (s.state == "lock_wait" && s.name == "waiting for B (held by t2)") t1_waits = &s;
    if (s.state == "lock_wait" && s.name == "waiting for A (held by t1)") t2_waits = &s;
  }
  ASSERT_NE(t1_waits, nullptr);
  ASSERT_NE(t2_waits, nullptr);
  EXPECT_EQ(t1_waits->thread, "t1");
  EXPECT_EQ(t2_waits->thread, "t2");
  EXPECT_TRUE(lesson_trace::Overlap(*t1_waits, *t2_waits)) << "the two waits overlap in time";
  // Each wait is inside the span of the lock its thread holds.
  bool t1_holds_a = false, t2_holds_b = false;
  for (const lesson_trace::Span& s : trace.spans) {
    if (s.tid == t1_waits->tid && s.name == "holds A" && s.begin <= t1_waits->begin &&
        t1_waits->end <= s.end) {
      t1_holds_a = true;
    }
    if (s.tid == t2_waits->tid && s.name == "holds B" && s.begin <= t2_waits->begin &&
        t2_waits->end <= s.end) {
      t2_holds_b = true;
    }
  }
  EXPECT_TRUE(t1_holds_a);
  EXPECT_TRUE(t2_holds_b);
}

TEST(DeadlockTest, RejectsBadFlags) {
  ExpectRejected("thread/deadlock", "--timeout=0s");
  ExpectRejected("thread/deadlock", "--timeout=300");  // A duration needs a unit.
  ExpectRejected("thread/deadlock", "--rounds=0");
}

}  // namespace
