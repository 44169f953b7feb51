#include <string>

#include "common/lesson_testing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace {

using namespace ::lesson::testing;  // RunLesson, RanCleanly, Search, HasSubstr...

// Each API in the tutorial's list is shown with a live result.
TEST(ApiTourTest, EveryCallRuns) {
  lesson::ProgramResult r = RunLesson("thread/api_tour");
  ASSERT_THAT(r, RanCleanly());
  const std::string& out = r.stdout_text;
  // Python numbers threads it did not start from the counter of Thread-<n>: the first
  // one asked in this program is Dummy-1.
  EXPECT_THAT(out, HasSubstr("run(1, '2') on thread Dummy-1 "));
  EXPECT_THAT(out, HasSubstr("the registry calls it Dummy-1"));
  EXPECT_THAT(out, HasSubstr("run(3, '4') on thread worker"));
  EXPECT_THAT(out, HasSubstr("another thread's try_lock(): std::mutex false, absl::Mutex false"));
  EXPECT_THAT(out, HasSubstr("->   [MainThread, alpha, beta]"));
  EXPECT_THAT(out, HasSubstr("name MainThread"));
  EXPECT_THAT(out, HasSubstr("fired after"));
  EXPECT_THAT(out, HasSubstr("TimedBarrier said: kPassed, kPassed, kPassed"));
  EXPECT_THAT(out, HasSubstr("std::chrono::nanoseconds::max() = 9223372036.855 s"));
}

// Threads need no main guard: the thread ran in main's process and main() ran once.
TEST(ApiTourTest, NoMainGuardForThreads) {
  lesson::ProgramResult r = RunLesson("thread/api_tour");
  ASSERT_THAT(r, RanCleanly());
  const Groups pids = Search(r.stdout_text,
                             "the thread ran in pid ([0-9]+), main's pid is "
                             "([0-9]+); main\\(\\) has started 1 time");
  ASSERT_FALSE(pids.empty()) << r.stdout_text;
  EXPECT_EQ(pids[1], pids[2]);
  EXPECT_THAT(r.stdout_text, HasSubstr("Threads need no if __name__ == '__main__' guard"));
}

TEST(ApiTourTest, RejectsBadFlags) {
  ExpectRejected("thread/api_tour", "--delay=-5ms");
  ExpectRejected("thread/api_tour", "--delay=100");  // A duration needs a unit.
}

}  // namespace
