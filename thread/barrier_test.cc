#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "thread/lesson_testing.h"

namespace {

using testing::HasSubstr;
using thread_testing::Count;
using thread_testing::ExpectRejected;
using thread_testing::RunLesson;

// The tutorial's case: three pass, two are released (deadline, then abort), none hangs.
TEST(BarrierTest, ThreePassTwoAreReleased) {
  auto r = RunLesson("barrier");
  const std::string out = thread_testing::LiveOutput(r.stdout_text);
  EXPECT_EQ(Count(out, "子线程数量达到3: passed"), 6) << out;  // 3 in step 1, 3 in step 2.
  EXPECT_EQ(Count(out, "released at the deadline"), 2) << out;
  EXPECT_EQ(Count(out, "the barrier was aborted"), 2) << out;
  EXPECT_THAT(out, HasSubstr("std::barrier: phase 2 complete"));
  EXPECT_EQ(Count(out, "absl::Barrier: all 3 arrived"), 1);
}

// Seven threads, groups of three: two groups pass, one thread is left over.
TEST(BarrierTest, SevenThreadsGroupsOfThree) {
  auto r = RunLesson("barrier", {"--threads=7", "--parties=3", "--timeout=200ms"});
  const std::string out = thread_testing::LiveOutput(r.stdout_text);
  EXPECT_EQ(Count(out, ": passed at"), 12) << out;
  EXPECT_EQ(Count(out, "released at the deadline"), 1);
  EXPECT_EQ(Count(out, "the barrier was aborted"), 1);
}

TEST(BarrierTest, RejectsBadFlags) {
  ExpectRejected("barrier", "--parties=0");
  ExpectRejected("barrier", "--threads=1000");
  ExpectRejected("barrier", "--timeout=0s");
}

}  // namespace
