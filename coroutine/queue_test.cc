// //coroutine:queue: put() waits while the queue is full and join() returns after the last
// item; the three ways each deliver every item, and the thread way is the one that needs
// the kernel's context switches; bad flags are refused.
#include <string>
#include <vector>

#include "common/lesson_testing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace {

using namespace ::lesson::testing;  // RunLesson, RanCleanly, Search, HasSubstr...

TEST(QueueLessonTest, BackpressureAndTheTriangle) {
  lesson::ProgramResult r = RunLesson(
      "coroutine/queue", {"--items=4", "--maxsize=1", "--work=5ms", "--measure_items=5000"});
  ASSERT_THAT(r, RanCleanly());
  EXPECT_EQ(r.stderr_text, "");
  std::vector<std::string> lines = Lines(r.stdout_text);
  int full = FindLine(lines, "producer: queue full (1 items), put() waits");
  int got = FindLine(lines, "consumer: got item 1", full);
  int put2 = FindLine(lines, "producer: put item 2", full);
  EXPECT_GE(full, 0);
  EXPECT_GT(got, full);
  EXPECT_GT(put2, got) << "put() did not wait for the consumer";
  int last = FindLine(lines, "consumer: got item 4");
  int joined = FindLine(lines, "join() returned", last);
  EXPECT_GT(joined, last);
  EXPECT_EQ(FindLine(lines, "consumer: cancelled while waiting in get()"), joined + 1);

  // The table: every way delivered all its items; the thread way uses two threads, the others one.
  for (const char* row : {"threads \\+ lock \\+ condition variables +2 .* yes",
                          "generator send\\(\\) \\(no queue\\) +1 .* yes",
                          "asyncio.Queue on the event loop +1 .* yes"}) {
    EXPECT_THAT(r.stdout_text, ContainsRegex(row));
  }
  EXPECT_THAT(r.stdout_text, HasSubstr("When to choose which"));
}

TEST(QueueLessonTest, RejectsBadFlags) {
  ExpectRejectedSaying("coroutine/queue", "--maxsize=0",
                       "queue: --maxsize=0 is out of range; allowed: 1 to 1000\n");
}

}  // namespace
