#include "efficiency/run_budget.h"

#include <cstdint>

#include "absl/flags/flag.h"
#include "gtest/gtest.h"

ABSL_FLAG(int64_t, test_iterations, 1000, "work size");
ABSL_FLAG(int, test_repeats, 3, "repeats");

namespace efficiency {
namespace {

TEST(AboutHowLongTest, PicksAReadableUnit) {
  EXPECT_EQ(AboutHowLong(40), "about 40 s");
  EXPECT_EQ(AboutHowLong(180), "about 3 minutes");
  EXPECT_EQ(AboutHowLong(3 * 3600), "about 3 hours");
  EXPECT_EQ(AboutHowLong(5 * 86400), "about 5 days");
}

TEST(RequireShortRunTest, AcceptsUpToAMinute) {
  RequireShortRun(kMaxRunSeconds, FLAGS_test_iterations, FLAGS_test_repeats);  // returns
  SUCCEED();
}

using RequireShortRunDeathTest = testing::Test;

// One line naming every flag with its value, the first as the one to lower; exit 2.
TEST(RequireShortRunDeathTest, RefusesMoreThanAMinuteNamingTheFlags) {
  EXPECT_EXIT(RequireShortRun(600, FLAGS_test_iterations, FLAGS_test_repeats),
              testing::ExitedWithCode(2),
              "^[^\n]*: --test_iterations=1000 with --test_repeats=3 would run for about 10 "
              "minutes \\(estimated from the flags\\); allowed: about a minute at most "
              "\\(60 s\\): lower one of them\n$");
}

}  // namespace
}  // namespace efficiency
