#include <regex>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "thread/lesson_testing.h"

namespace {

using testing::HasSubstr;
using thread_testing::ExpectRejected;
using thread_testing::RunLesson;

// The timer's function starts after the delay, never before it.
TEST(TimerLessonTest, StartsAfterTheDelay) {
  auto r = RunLesson("timer", {"--delay=200ms"});
  std::smatch fired;
  ASSERT_TRUE(std::regex_search(r.stdout_text, fired, std::regex("\\((\\d+) ms after start\\)")));
  EXPECT_GE(std::stoi(fired[1]), 200);
  EXPECT_THAT(r.stdout_text, HasSubstr("threads alive now: 2"));
  EXPECT_LT(r.stdout_text.find("启动线程"), r.stdout_text.find("结束 (main goes on"));
}

// Cancelled in time, it never runs; cancelled too late, Cancel() says so.
TEST(TimerLessonTest, CancelledTimerNeverRuns) {
  auto r = RunLesson("timer", {"--delay=200ms"});
  EXPECT_THAT(r.stdout_text, HasSubstr("returned true: the action will never run"));
  EXPECT_THAT(r.stdout_text, HasSubstr("ran = false, state = cancelled"));
  EXPECT_THAT(r.stdout_text, HasSubstr("ran 1 time(s); Cancel() afterwards returned false"));
}

TEST(TimerLessonTest, RejectsBadFlags) {
  ExpectRejected("timer", "--delay=-1s");
  ExpectRejected("timer", "--delay=11s");
}

}  // namespace
