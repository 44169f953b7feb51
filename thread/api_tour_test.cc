#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "thread/lesson_testing.h"

namespace {

using testing::HasSubstr;
using thread_testing::ExpectRejected;
using thread_testing::RunLesson;

// Each API in the tutorial's list is shown with a live result.
TEST(ApiTourTest, EveryCallRuns) {
  auto r = RunLesson("api_tour");
  const std::string& out = r.stdout_text;
  EXPECT_THAT(out, HasSubstr("run(1, '2') on thread Dummy-"));
  EXPECT_THAT(out, HasSubstr("run(3, '4') on thread worker"));
  EXPECT_THAT(out, HasSubstr("another thread's try_lock(): std::mutex false, absl::Mutex false"));
  EXPECT_THAT(out, HasSubstr("->   [MainThread, alpha, beta]"));
  EXPECT_THAT(out, HasSubstr("name MainThread"));
  EXPECT_THAT(out, HasSubstr("fired after"));
  EXPECT_THAT(out, HasSubstr("TimedBarrier said: passed, passed, passed"));
  EXPECT_THAT(out, HasSubstr("std::chrono::nanoseconds::max() = 9223372036.855 s"));
}

TEST(ApiTourTest, RejectsBadFlags) { ExpectRejected("api_tour", "--delay=-5ms"); }

}  // namespace
