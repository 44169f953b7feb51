#include <string>

#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "thread/lesson_testing.h"

namespace {

using testing::HasSubstr;
using thread_testing::ExpectRejected;
using thread_testing::RunLesson;

// Opposite lock orders deadlock every run, the timeout reports it, scoped_lock fixes it.
TEST(DeadlockTest, DetectedThenFixed) {
  auto r = RunLesson("deadlock", {"--timeout=50ms", "--rounds=1000"});
  const std::string& out = r.stdout_text;
  EXPECT_THAT(out, HasSubstr("t1 gave up on B after"));
  EXPECT_THAT(out, HasSubstr("t2 gave up on A after"));
  EXPECT_THAT(out, HasSubstr("DEADLOCK detected"));
  EXPECT_THAT(out, HasSubstr("t1 took both locks 1000 times, t2 1000 times"));
  EXPECT_LT(r.elapsed, absl::Seconds(30));  // It ends by itself.
}

TEST(DeadlockTest, RejectsBadFlags) {
  ExpectRejected("deadlock", "--timeout=0s");
  ExpectRejected("deadlock", "--rounds=0");
}

}  // namespace
