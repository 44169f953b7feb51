// //coroutine:hello: the coroutine prints, sleeps on the loop, prints again; the closing
// points follow what was measured.
#include <string>
#include <vector>

#include "common/lesson_testing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace {

using namespace ::lesson::testing;  // RunLesson, RanCleanly, Search, HasSubstr...

TEST(HelloLessonTest, HelloSleepHelloAgain) {
  lesson::ProgramResult r = RunLesson("coroutine/hello", {"--sleep=50ms"});
  ASSERT_THAT(r, RanCleanly());
  std::vector<std::string> lines = Lines(r.stdout_text);
  int called = FindLine(lines, "hello() was called");
  ASSERT_GE(called, 0);
  EXPECT_EQ(lines[called + 1], "Hello world!");  // the body ran only once the loop drove it
  EXPECT_EQ(lines[called + 2], "Hello again!");
  EXPECT_THAT(r.stdout_text, HasSubstr("Calling Hello() ran nothing"));
  EXPECT_THAT(r.stdout_text, HasSubstr("CPython 3.11.7 prints the same two lines"));
}

TEST(HelloLessonTest, ZeroSleepSaysSo) {
  lesson::ProgramResult r = RunLesson("coroutine/hello", {"--sleep=0"});
  ASSERT_THAT(r, RanCleanly());
  EXPECT_THAT(r.stdout_text, HasSubstr("With --sleep=0 the co_await only handed control"));
}

TEST(HelloLessonTest, RejectsBadFlags) {
  ExpectRejected("coroutine/hello", "--sleep=10s");
  ExpectRejected("coroutine/hello", "--sleep=1");  // a unit is needed
}

}  // namespace
