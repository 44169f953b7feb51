// //coroutine:run: Run(main()) and the hand-built loop print the tutorial's lines; Run
// cancels a task main() left running (its catch block and destructor run), while a
// hand-built loop keeps it until Close() destroys it (destructor only); Run inside a
// running loop is refused; bad flags are refused.
#include <string>
#include <vector>

#include "common/lesson_testing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace {

using namespace ::lesson::testing;  // RunLesson, RanCleanly, Search, HasSubstr...

TEST(RunLessonTest, RunAndHandBuiltLoop) {
  lesson::ProgramResult r = RunLesson("coroutine/run", {"--sleep=100ms"});
  ASSERT_THAT(r, RanCleanly());
  EXPECT_EQ(r.stderr_text, "");
  std::vector<std::string> lines = Lines(r.stdout_text);

  // Parts 1 and 2: the tutorial's lines, three "world" before three "again", each time.
  for (const char* part : {"1. asyncio.run(main())", "2. The same by hand"}) {
    int start = FindLine(lines, part);
    ASSERT_GE(start, 0) << part;
    for (int i = 1; i <= 3; ++i) {
      EXPECT_THAT(lines[start + i], StartsWith("Hello world! (<_MainThread(MainThread, started "));
      EXPECT_THAT(lines[start + 3 + i], StartsWith("Hello again! (<_MainThread(MainThread, started "));
    }
  }

  // Part 3: Run cancels the background task after main returns: catch block, then destructor.
  int run_part = FindLine(lines, "3. A task still running when main() returns");
  int main_done = FindLine(lines, "main: returns", run_part);
  int cancelled = FindLine(lines, "background: CancelledError at its sleep", main_done);
  ASSERT_GE(cancelled, 0);
  EXPECT_THAT(lines[cancelled + 1], HasSubstr("background: its local's destructor ran"));

  // Part 4: by hand, the task survives run_until_complete, ticks on, and Close() destroys it
  // without resuming it: the destructor runs, the catch block does not.
  int by_hand = FindLine(lines, "4. By hand, the loop is yours");
  EXPECT_GE(FindLine(lines, "the loop still holds 1 unfinished task(s)", by_hand), 0);
  int more = FindLine(lines, "running the loop 700 ms more", by_hand);
  int tick = FindLine(lines, "background: tick", more);
  int destroyed = FindLine(lines, "background: its local's destructor ran", more);
  int closed = FindLine(lines, "loop.Close() found 1 unfinished task(s)", more);
  EXPECT_GT(tick, more);
  EXPECT_GT(destroyed, tick);
  EXPECT_EQ(closed, destroyed + 1);
  int part5 = FindLine(lines, "5. asyncio.run() inside a running loop", by_hand);
  ASSERT_GT(part5, closed);
  int resumed = FindLine(lines, "CancelledError", by_hand);
  EXPECT_TRUE(resumed < 0 || resumed > part5) << "Close() resumed the task: " << lines[resumed];

  // Part 5: asyncio.run inside a running loop is refused.
  EXPECT_GE(FindLine(lines, "cannot be called from a running event loop", part5), 0);
}

TEST(RunLessonTest, Chinese) {
  lesson::ProgramResult r = RunLesson("coroutine/run", {"--sleep=10ms", "--lang=zh"});
  ASSERT_THAT(r, RanCleanly());
  EXPECT_THAT(r.stdout_text, HasSubstr("Hello world! (<_MainThread(MainThread, started "));
  EXPECT_THAT(r.stdout_text, HasSubstr("要点"));
}

TEST(RunLessonTest, RejectsBadFlags) {
  ExpectRejectedSaying("coroutine/run", "--coroutines=5000",
                       "run: --coroutines=5000 is out of range; allowed: 1 to 1000\n");
  ExpectRejected("coroutine/run", "--sleep=1");  // a unit is needed
}

}  // namespace
