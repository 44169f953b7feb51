// //coroutine:cancel: each part shows its behaviour in order (the catch block before the
// destructor, the destructor before the TimeoutError, the shielded work finishing after
// the waiter was cancelled); a timeout longer than the work times nothing out; bad flags
// are refused.
#include <string>
#include <vector>

#include "common/lesson_testing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace {

using namespace ::lesson::testing;  // RunLesson, RanCleanly, Search, HasSubstr...

TEST(CancelLessonTest, EachPartInOrder) {
  lesson::ProgramResult r = RunLesson("coroutine/cancel", {"--work=200ms", "--timeout=60ms"});
  ASSERT_THAT(r, RanCleanly());
  EXPECT_EQ(r.stderr_text, "");
  std::vector<std::string> lines = Lines(r.stdout_text);

  int one = FindLine(lines, "1. task.cancel()");
  int requested = FindLine(lines, "main: task.cancel() at", one);
  int caught = FindLine(lines, "download: CancelledError at its sleep", requested);
  int closed = FindLine(lines, "download: connection closed (destructor)", caught);
  int awaited = FindLine(lines, "task.cancelled() = true", closed);
  EXPECT_GT(requested, one);
  EXPECT_GT(caught, requested);
  EXPECT_EQ(closed, caught + 1);
  EXPECT_GT(awaited, closed);

  int two = FindLine(lines, "2. Cancellation is a request");
  EXPECT_GT(FindLine(lines, "task.cancelled() = false", two), two);

  int three = FindLine(lines, "3. asyncio.shield");
  int waiter = FindLine(lines, "waiter: CancelledError", three);
  int saved = FindLine(lines, "save: written to disk", three);
  EXPECT_GT(waiter, three);
  EXPECT_GT(saved, waiter);

  int four = FindLine(lines, "4. asyncio.wait_for");
  int job_closed = FindLine(lines, "slow job: connection closed", four);
  int timed_out = FindLine(lines, "wait_for raised TimeoutError", four);
  EXPECT_GT(job_closed, four);
  EXPECT_GT(timed_out, job_closed);

  int five = FindLine(lines, "5. async with asyncio.timeout");
  EXPECT_GT(FindLine(lines, "step one done", five), five);
  EXPECT_GT(FindLine(lines, "main: TimeoutError", five), five);
  EXPECT_LT(FindLine(lines, "step two done", five), 0);

  EXPECT_GE(FindLine(lines, "main: wait returned at"), 0);
  EXPECT_GE(FindLine(lines, "pending (it raises nothing)"), 0);
}

TEST(CancelLessonTest, TimeoutLongerThanTheWork) {
  lesson::ProgramResult r = RunLesson("coroutine/cancel", {"--work=50ms", "--timeout=200ms"});
  ASSERT_THAT(r, RanCleanly());
  for (const char* line : {"download: all 10 chunks received",
                           "wait_for returned \"the slow job's result\"", "step two done",
                           "nothing timed out"}) {
    EXPECT_THAT(r.stdout_text, HasSubstr(line));
  }
}

TEST(CancelLessonTest, RejectsBadFlags) {
  ExpectRejected("coroutine/cancel", "--timeout=1");  // a unit is needed
  ExpectRejected("coroutine/cancel", "--work=1h");
}

}  // namespace
