#include <string>

#include "common/lesson_testing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace {

using namespace ::lesson::testing;  // RunLesson, RanCleanly, Search, HasSubstr...

// ThreadSanitizer's default exit status when it has reported something.
constexpr int kTsanReportExitCode = 66;

// The plain-long version races, and ThreadSanitizer says so, naming the variable.
TEST(LockRaceTsanTest, UnlockedPlainLongIsReportedAsADataRace) {
  lesson::ProgramResult r = RunLesson("thread/lock_race_tsan");
  EXPECT_THAT(r.stderr_text, HasSubstr("WARNING: ThreadSanitizer: data race"));
  EXPECT_THAT(r.stderr_text, HasSubstr("Location is global '(anonymous namespace)::num'"));
  EXPECT_EQ(r.exit_code, kTsanReportExitCode);
  EXPECT_EQ(r.leftover_processes, 0);
}

// The same program with a std::mutex around num: ThreadSanitizer reports nothing.
TEST(LockRaceTsanTest, LockedVersionHasNoReport) {
  lesson::ProgramResult r = RunLesson("thread/lock_race_tsan", {"--lock"});
  EXPECT_THAT(r.stderr_text, Not(HasSubstr("ThreadSanitizer")));
  ASSERT_THAT(r, RanCleanly());
  EXPECT_THAT(r.stdout_text, HasSubstr("num = 0"));
}

}  // namespace
