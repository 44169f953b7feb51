// //coroutine:hello: the coroutine prints, sleeps on the loop, prints again; the closing
// points follow what was measured.
#include <string>
#include <vector>

#include "coroutine/lesson_testing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace {

using ::coro_lessons::testing::FindLine;
using ::coro_lessons::testing::Lines;
using ::coro_lessons::testing::ExpectRejected;
using ::coro_lessons::testing::RunLesson;
using ::testing::HasSubstr;

TEST(HelloLessonTest, HelloSleepHelloAgain) {
  lesson::ProgramResult r = RunLesson("hello", {"--sleep=50ms"});
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  EXPECT_EQ(r.leftover_processes, 0);
  std::vector<std::string> lines = Lines(r.stdout_text);
  int called = FindLine(lines, "hello() was called");
  ASSERT_GE(called, 0);
  EXPECT_EQ(lines[called + 1], "Hello world!");  // the body ran only once the loop drove it
  EXPECT_EQ(lines[called + 2], "Hello again!");
  EXPECT_THAT(r.stdout_text, HasSubstr("Calling Hello() ran nothing"));
  EXPECT_THAT(r.stdout_text, HasSubstr("CPython 3.11.7 prints the same two lines"));
}

TEST(HelloLessonTest, ZeroSleepSaysSo) {
  lesson::ProgramResult r = RunLesson("hello", {"--sleep=0"});
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  EXPECT_THAT(r.stdout_text, HasSubstr("With --sleep=0 the co_await only handed control"));
}

TEST(HelloLessonTest, RejectsBadFlags) {
  ExpectRejected("hello", "--sleep=10s");
  ExpectRejected("hello", "--sleep=1");  // a unit is needed
}

}  // namespace
