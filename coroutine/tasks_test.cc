// //coroutine:tasks: create_task / ensure_future; wait's done/pending; gather's order and
// first exception; the closing points follow what happened.
#include <string>
#include <vector>

#include "common/lesson_testing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace {

using namespace ::lesson::testing;  // RunLesson, RanCleanly, Search, HasSubstr...

TEST(TasksLessonTest, WaitVersusGather) {
  lesson::ProgramResult r = RunLesson("coroutine/tasks", {"--sleep=20ms", "--unit=100ms"});
  ASSERT_THAT(r, RanCleanly());
  const std::string& out = r.stdout_text;
  EXPECT_THAT(out, HasSubstr("(created: done() = false)\nHello world!\nHello again!\n"
                             "(after run_until_complete: done() = true)"));
  EXPECT_THAT(out, HasSubstr("(ensure_future of a future returns that same future: true)"));

  // FIRST_COMPLETED: B is done, the rest pending. (On a stalled machine C may be due in the
  // same loop iteration and be done too; the split always covers all three.)
  ASSERT_FALSE(
      Search(out, "wait\\(FIRST_COMPLETED\\) returned: done \\[B(, [AC])*\\], (\\d) pending")
          .empty())
      << out;
  EXPECT_THAT(out, HasSubstr(", 0 pending\n"));

  // gather: finished B, C, A; returned in argument order.
  std::vector<std::string> lines = Lines(out);
  int gather_part = FindLine(lines, "4. asyncio.gather");
  int b = FindLine(lines, "job B finished", gather_part);
  int c = FindLine(lines, "job C finished", gather_part);
  int a = FindLine(lines, "job A finished", gather_part);
  EXPECT_LT(b, c);
  EXPECT_LT(c, a);
  EXPECT_THAT(out, HasSubstr("gather returned, in argument order: [A, B, C]"));
  EXPECT_THAT(out, HasSubstr("gather returned [A, B, C], the order of its arguments, although "
                             "the jobs finished in the order B, C, A."));

  // Failure: wait keeps the exception; gather throws at once and F still finishes after.
  EXPECT_THAT(out, HasSubstr("wait: a done task holds an exception, from job E"));
  int threw = FindLine(lines, "gather threw at");
  ASSERT_GE(threw, 0);
  EXPECT_THAT(lines[threw], HasSubstr("job G"));
  EXPECT_GT(FindLine(lines, "job F finished"), threw);
  EXPECT_THAT(out, HasSubstr("did not cancel the other job, which still finished afterwards"));
  EXPECT_THAT(out, HasSubstr("CPython 3.11 raises TypeError for them"));
}

TEST(TasksLessonTest, RejectsBadFlag) {
  ExpectRejected("coroutine/tasks", "--unit=0s");
  ExpectRejected("coroutine/tasks", "--unit=200");  // a unit is needed
}

}  // namespace
