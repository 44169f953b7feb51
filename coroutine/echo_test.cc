// //coroutine:echo: real loopback TCP, every echo intact, all connections open at once, one
// thread, nothing left behind.
#include <string>

#include "common/lesson_testing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace {

using namespace ::lesson::testing;  // RunLesson, RanCleanly, Search, HasSubstr...

TEST(EchoLessonTest, ManyClientsOneThread) {
  lesson::ProgramResult r =
      RunLesson("coroutine/echo", {"--clients=30", "--messages=3", "--pause=10ms"});
  ASSERT_THAT(r, RanCleanly()) << r.stdout_text;
  for (const char* line : {"server listening on 127.0.0.1:",
                           "client 0 sent \"client 0, message 3\", "
                           "got \"client 0, message 3\" back",
                           "connections served: 30; open at the same time, at most: 30",
                           "messages echoed back intact: 90 of 90 (wrong: 0)",
                           "threads that did all this: 1 (",
                           "One thread had all 30 connections open at once"}) {
    EXPECT_THAT(r.stdout_text, HasSubstr(line));
  }
}

TEST(EchoLessonTest, RejectsBadFlags) {
  ExpectRejectedSaying("coroutine/echo", "--clients=0",
                       "echo: --clients=0 is out of range; allowed: 1 to 1000\n");
  ExpectRejected("coroutine/echo", "--pause=2s");
  ExpectRejected("coroutine/echo", {"--messages=1000", "--pause=1s"}, "--messages");
}

}  // namespace
