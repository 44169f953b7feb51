// //coroutine:hello: the coroutine prints, sleeps on the loop, prints again.
#include <string>
#include <vector>

#include "coroutine/lesson_testing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace {

using ::coro_lessons::testing::FindLine;
using ::coro_lessons::testing::Lines;
using ::coro_lessons::testing::RunLesson;

TEST(HelloLessonTest, HelloSleepHelloAgain) {
  lesson::ProgramResult r = RunLesson("hello", {"--sleep_ms=50"});
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  EXPECT_EQ(r.leftover_processes, 0);
  std::vector<std::string> lines = Lines(r.stdout_text);
  int called = FindLine(lines, "hello() was called");
  int hello = FindLine(lines, "Hello world!");
  int again = FindLine(lines, "Hello again!");
  ASSERT_GE(called, 0);
  EXPECT_EQ(hello, called + 1);  // the body ran only once the loop drove it
  EXPECT_EQ(again, hello + 1);
}

TEST(HelloLessonTest, RejectsBadFlag) {
  lesson::ProgramResult r = RunLesson("hello", {"--sleep_ms=99999"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.stderr_text, "hello: --sleep_ms=99999 is out of range; allowed: 0 to 5000\n");
}

}  // namespace
