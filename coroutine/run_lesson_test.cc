// //coroutine:run: Run(main()) and the hand-built loop do the same; a task left running
// is destroyed when the loop closes, and the hand-built loop keeps it until Close().
#include <string>
#include <vector>

#include "coroutine/lesson_testing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace {

using ::coro_lessons::testing::FindLine;
using ::coro_lessons::testing::Lines;
using ::coro_lessons::testing::RunLesson;
using ::testing::HasSubstr;

TEST(RunLessonTest, RunAndHandBuiltLoop) {
  lesson::ProgramResult r = RunLesson("run", {"--sleep_ms=100"});
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  EXPECT_EQ(r.leftover_processes, 0);
  std::vector<std::string> lines = Lines(r.stdout_text);

  // Part 3: Run() destroys the background task right after main is done.
  int run_part = FindLine(lines, "A task still running when main() returns");
  int main_done = FindLine(lines, "main: done", run_part);
  ASSERT_GE(main_done, 0);
  EXPECT_THAT(lines[main_done + 1], HasSubstr("background: destroyed"));

  // Part 4: by hand, the task survives run_until_complete, ticks on, dies at Close().
  int by_hand = FindLine(lines, "The same by hand: the loop is yours");
  EXPECT_GE(FindLine(lines, "the loop still holds 1 unfinished task(s)", by_hand), 0);
  int more = FindLine(lines, "running the loop 700 ms more", by_hand);
  int tick = FindLine(lines, "background: tick", more);
  int destroyed = FindLine(lines, "background: destroyed", more);
  int closed = FindLine(lines, "loop.Close() found 1 unfinished task(s)", more);
  EXPECT_GT(tick, more);
  EXPECT_GT(destroyed, tick);
  EXPECT_EQ(closed, destroyed + 1);
}

TEST(RunLessonTest, RejectsBadFlag) {
  lesson::ProgramResult r = RunLesson("run", {"--coroutines=5000"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.stderr_text, "run: --coroutines=5000 is out of range; allowed: 1 to 1000\n");
}

}  // namespace
