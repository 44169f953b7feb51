// //coroutine:gather: all "Hello world!" before any "Hello again!", every sleep overlapping,
// one thread id for all. (How long it took is an experiment, not asserted here.)
#include <regex>
#include <set>
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

TEST(GatherLessonTest, ConcurrentOnOneThread) {
  lesson::ProgramResult r = RunLesson("gather", {"--coroutines=3", "--sleep_ms=50"});
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  EXPECT_EQ(r.leftover_processes, 0);
  std::vector<std::string> lines = Lines(r.stdout_text);
  int first = FindLine(lines, "Hello world!");
  ASSERT_GE(first, 0);
  for (int i = 0; i < 3; ++i) EXPECT_THAT(lines[first + i], HasSubstr("Hello world!"));
  for (int i = 3; i < 6; ++i) EXPECT_THAT(lines[first + i], HasSubstr("Hello again!"));
  EXPECT_THAT(r.stdout_text, HasSubstr("3 were asleep at the same time; distinct thread ids: 1"));
  EXPECT_THAT(r.stdout_text, HasSubstr("(1 asleep at most at once)"));

  // The thread of every hello() is the main thread.
  std::smatch m;
  ASSERT_TRUE(std::regex_search(r.stdout_text, m, std::regex("main thread: (\\d+)")));
  const std::string main_thread = m[1];
  std::set<std::string> threads;
  const std::regex hello_thread("Hello (?:world|again)! \\(thread (\\d+)\\)");
  for (std::sregex_iterator it(r.stdout_text.begin(), r.stdout_text.end(), hello_thread), end;
       it != end; ++it) {
    threads.insert((*it)[1]);
  }
  EXPECT_EQ(threads, std::set<std::string>{main_thread});
}

TEST(GatherLessonTest, ManyCoroutinesNoComparison) {
  lesson::ProgramResult r =
      RunLesson("gather", {"--coroutines=200", "--sleep_ms=10", "--nosequential"});
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  EXPECT_THAT(r.stdout_text, HasSubstr("200 were asleep at the same time; distinct thread ids: 1"));
  EXPECT_THAT(r.stdout_text, testing::Not(HasSubstr("--- The same, awaited one after another")));
}

TEST(GatherLessonTest, RejectsBadFlag) {
  lesson::ProgramResult r = RunLesson("gather", {"--coroutines=0"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.stderr_text, "gather: --coroutines=0 is out of range; allowed: 1 to 1000\n");
}

}  // namespace
