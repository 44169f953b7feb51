// //coroutine:task_group: the group ends after its last task; a failure cancels the
// siblings and the body before the TaskGroupError comes out; two failures come out
// together; gather cancels nothing; bad flags are refused.
#include <string>
#include <vector>

#include "common/lesson_testing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace {

using namespace ::lesson::testing;  // RunLesson, RanCleanly, Search, HasSubstr...

TEST(TaskGroupLessonTest, EachPartInOrder) {
  lesson::ProgramResult r = RunLesson("coroutine/task_group", {"--fetch=40ms"});
  ASSERT_THAT(r, RanCleanly());
  EXPECT_EQ(r.stderr_text, "");
  std::vector<std::string> lines = Lines(r.stdout_text);

  int one = FindLine(lines, "1. async with TaskGroup()");
  int c_done = FindLine(lines, "fetch c: done", one);
  int ended = FindLine(lines, "the group ended at", one);
  EXPECT_GT(c_done, one);
  EXPECT_EQ(ended, c_done + 1);

  int two = FindLine(lines, "2. One fetch fails");
  int fails = FindLine(lines, "fetch b: fails", two);
  int a = FindLine(lines, "fetch a: cancelled", fails);
  int c = FindLine(lines, "fetch c: cancelled", fails);
  int body = FindLine(lines, "body: cancelled by the group", fails);
  int caught = FindLine(lines, "a TaskGroupError holding 1 exception(s): ECONNREFUSED (b)", fails);
  EXPECT_GT(a, fails);
  EXPECT_GT(c, fails);
  EXPECT_GT(body, fails);
  EXPECT_GT(caught, std::max({a, c, body}));
  int three = FindLine(lines, "3. Two fetches fail");
  EXPECT_GT(three, caught);
  int leaked = FindLine(lines, "fetch a: done", two);
  EXPECT_TRUE(leaked < 0 || leaked > three) << "a task outlived its group: " << lines[leaked];

  EXPECT_GT(FindLine(lines, "a TaskGroupError holding 2 exception(s)", three), three);

  int four = FindLine(lines, "4. The failure of part 2 under gather()");
  int raised = FindLine(lines, "gather raised at", four);
  EXPECT_GT(FindLine(lines, "fetch a: done", raised), raised);
  EXPECT_GT(FindLine(lines, "2 value(s), 1 exception(s)", raised), raised);
}

TEST(TaskGroupLessonTest, RejectsBadFlags) {
  ExpectRejected("coroutine/task_group", "--fetch=1ms");
}

}  // namespace
