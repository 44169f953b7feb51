// //coroutine:generator: lazy start, pulls interleave with the body, early drop cleans up,
// send() round-trips, one thread, the frame off the stack.
#include <set>
#include <string>
#include <vector>

#include "common/lesson_testing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace {

using namespace ::lesson::testing;  // RunLesson, RanCleanly, Search, HasSubstr...

TEST(GeneratorLessonTest, LazyPullsAndCleanup) {
  lesson::ProgramResult r = RunLesson("coroutine/generator");
  ASSERT_THAT(r, RanCleanly());
  std::vector<std::string> lines = Lines(r.stdout_text);

  // Nothing runs at the call; the body starts inside the first Next().
  int created = FindLine(lines, "returned a generator");
  int first_pull = FindLine(lines, "main: Next() #1");
  int started = FindLine(lines, "[countdown] starts");
  ASSERT_GE(created, 0);
  EXPECT_LT(created, first_pull);
  EXPECT_EQ(started, first_pull + 1);
  // Each pull runs exactly to the next co_yield.
  EXPECT_EQ(lines[started + 1], "    [countdown] yields 3");
  EXPECT_EQ(lines[started + 2], "main: got 3");
  // Dropped early: its frame is destroyed before the range-for part begins.
  int destroyed = FindLine(lines, "frame destroyed");
  EXPECT_LT(destroyed, FindLine(lines, "--- for"));
  EXPECT_GT(destroyed, FindLine(lines, "drops the generator"));

  for (const char* line : {"main: for loop got 3\n", "main: for loop got 1\n",
                           "send(10) -> average 10\n", "send(20) -> average 15\n",
                           "send(60) -> average 30\n"}) {
    EXPECT_THAT(r.stdout_text, HasSubstr(line));
  }

  // Every thread id printed is the same one.
  std::set<std::string> threads;
  for (const Groups& thread_id : SearchAll(r.stdout_text, "thread (\\d+)")) {
    threads.insert(thread_id[1]);
  }
  EXPECT_EQ(threads.size(), 1u);
  EXPECT_THAT(r.stdout_text, HasSubstr("took turns on one thread"));
}

// g++ allocates every coroutine frame on the heap: the body's local is off the stack.
TEST(GeneratorLessonTest, FrameLivesOffTheStack) {
  lesson::ProgramResult r = RunLesson("coroutine/generator");
  ASSERT_THAT(r, RanCleanly());
  for (const char* line : {"(on the stack)", "(not on the stack: in the coroutine's frame",
                           "The frame lives on the heap"}) {
    EXPECT_THAT(r.stdout_text, HasSubstr(line));
  }
}

TEST(GeneratorLessonTest, OneValueOnly) {
  lesson::ProgramResult r = RunLesson("coroutine/generator", {"--count=1"});
  ASSERT_THAT(r, RanCleanly());
  EXPECT_THAT(r.stdout_text, HasSubstr("got nothing: the generator has returned"));
  EXPECT_THAT(r.stdout_text, HasSubstr("drops the generator (it had already returned)"));
  // Nothing was dropped early, so the notice does not say so.
  EXPECT_THAT(r.stdout_text, Not(HasSubstr("Dropping the generator early")));
}

TEST(GeneratorLessonTest, RejectsBadFlag) {
  ExpectRejectedSaying("coroutine/generator", "--count=0",
                       "generator: --count=0 is out of range; allowed: 1 to 20\n");
}

}  // namespace
