// //coroutine:tasks: create_task / ensure_future; wait's done/pending; gather's order and
// first exception.
#include <regex>
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

TEST(TasksLessonTest, WaitVersusGather) {
  lesson::ProgramResult r = RunLesson("tasks", {"--sleep_ms=20", "--unit_ms=100"});
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  EXPECT_EQ(r.leftover_processes, 0);
  const std::string& out = r.stdout_text;
  EXPECT_THAT(out, HasSubstr("(created: done() = false)"));
  EXPECT_THAT(out, HasSubstr("(after run_until_complete: done() = true)"));
  EXPECT_THAT(out, HasSubstr("(ensure_future of a future returns that same future: true)"));

  // FIRST_COMPLETED: B is done, the rest pending. (On a stalled machine C may be due in the
  // same loop iteration and be done too; the split always covers all three.)
  std::smatch m;
  ASSERT_TRUE(std::regex_search(
      out, m, std::regex("wait\\(FIRST_COMPLETED\\) returned: (\\d) done \\[job B \\(1 unit\\)"
                         ".*\\], (\\d) pending")));
  EXPECT_EQ(std::stoi(m[1]) + std::stoi(m[2]), 3);
  EXPECT_THAT(out, HasSubstr("0 pending\n"));

  // gather: finished B, C, A; returned in argument order.
  std::vector<std::string> lines = Lines(out);
  int gather_part = FindLine(lines, "4. asyncio.gather");
  int b = FindLine(lines, "job B (1 unit) finished", gather_part);
  int c = FindLine(lines, "job C (2 units) finished", gather_part);
  int a = FindLine(lines, "job A (3 units) finished", gather_part);
  EXPECT_LT(b, c);
  EXPECT_LT(c, a);
  EXPECT_THAT(out, HasSubstr("gather returned, in argument order: [job A (3 units), "
                             "job B (1 unit), job C (2 units)]"));

  // Failure: wait keeps the exception; gather throws at once and F still finishes after.
  EXPECT_THAT(out, HasSubstr("wait: a done task holds an exception: job E failed"));
  int threw = FindLine(lines, "gather threw at");
  ASSERT_GE(threw, 0);
  EXPECT_THAT(lines[threw], HasSubstr("job G failed"));
  EXPECT_GT(FindLine(lines, "job F finished"), threw);
}

TEST(TasksLessonTest, RejectsBadFlag) {
  lesson::ProgramResult r = RunLesson("tasks", {"--unit_ms=0"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.stderr_text, "tasks: --unit_ms=0 is out of range; allowed: 1 to 2000\n");
}

}  // namespace
