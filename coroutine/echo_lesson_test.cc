// //coroutine:echo: real loopback TCP, every echo intact, all connections open at once, one
// thread, nothing left behind.
#include <string>

#include "coroutine/lesson_testing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace {

using ::coro_lessons::testing::ExpectRejected;
using ::coro_lessons::testing::RunLesson;
using ::testing::HasSubstr;

TEST(EchoLessonTest, ManyClientsOneThread) {
  lesson::ProgramResult r = RunLesson("echo", {"--clients=30", "--messages=3", "--pause=10ms"});
  ASSERT_EQ(r.exit_code, 0) << r.stdout_text << r.stderr_text;
  EXPECT_EQ(r.leftover_processes, 0);
  EXPECT_THAT(r.stdout_text, HasSubstr("server listening on 127.0.0.1:"));
  EXPECT_THAT(r.stdout_text, HasSubstr("client 0 sent \"client 0, message 3\", "
                                       "got \"client 0, message 3\" back"));
  EXPECT_THAT(r.stdout_text,
              HasSubstr("connections served: 30; open at the same time, at most: 30"));
  EXPECT_THAT(r.stdout_text, HasSubstr("messages echoed back intact: 90 of 90 (wrong: 0)"));
  EXPECT_THAT(r.stdout_text, HasSubstr("threads that did all this: 1 ("));
  EXPECT_THAT(r.stdout_text, HasSubstr("One thread had all 30 connections open at once"));
}

TEST(EchoLessonTest, RejectsBadFlags) {
  lesson::ProgramResult r = RunLesson("echo", {"--clients=0"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.stderr_text, "echo: --clients=0 is out of range; allowed: 1 to 1000\n");
  ExpectRejected("echo", "--pause=2s");
  lesson::testing::ExpectRejected("coroutine/echo", {"--messages=1000", "--pause=1s"},
                                  "--messages");
}

}  // namespace
