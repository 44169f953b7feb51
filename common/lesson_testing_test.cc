// Tests for the text helpers of common/lesson_testing.h (running lessons is tested by
// every lesson's own test).
#include "common/lesson_testing.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace lesson::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::ExplainMatchResult;
using ::testing::IsEmpty;
using ::testing::StringMatchResultListener;

TEST(RanCleanlyTest, AcceptsStatusZeroWithNothingLeft) {
  ProgramResult r;
  r.exit_code = 0;
  EXPECT_THAT(r, RanCleanly());
}

TEST(RanCleanlyTest, RejectsAFailureATimeoutOrALeftoverAndSaysWhy) {
  ProgramResult failed;
  failed.exit_code = 2;
  failed.stderr_text = "--runs must be at least 1\n";
  StringMatchResultListener why;
  EXPECT_FALSE(ExplainMatchResult(RanCleanly(), failed, &why));
  EXPECT_THAT(why.str(), HasSubstr("exit status 2"));
  EXPECT_THAT(why.str(), HasSubstr("--runs must be at least 1"));

  ProgramResult timed_out;
  timed_out.exit_code = 0;
  timed_out.timed_out = true;
  EXPECT_THAT(timed_out, Not(RanCleanly()));

  ProgramResult left_a_child;
  left_a_child.exit_code = 0;
  left_a_child.leftover_processes = 1;
  EXPECT_THAT(left_a_child, Not(RanCleanly()));
}

TEST(SearchTest, ReturnsTheWholeMatchThenItsGroups) {
  EXPECT_THAT(Search("main: PID 41, child: PID 42", "PID (\\d+)"), ElementsAre("PID 41", "41"));
}

TEST(SearchTest, IsEmptyWhenThePatternIsAbsent) {
  EXPECT_THAT(Search("main: PID 41", "PPID (\\d+)"), IsEmpty());
}

TEST(SearchTest, ReadsChineseText) {
  EXPECT_THAT(Search("我是主进程，PID是7\n", "PID是(\\d+)"), ElementsAre("PID是7", "7"));
}

TEST(SearchAllTest, ReturnsEveryMatchInOrder) {
  EXPECT_THAT(SearchAll("at 0x1f, at 0x2a", "at (0x[0-9a-f]+)"),
              ElementsAre(ElementsAre("at 0x1f", "0x1f"), ElementsAre("at 0x2a", "0x2a")));
  EXPECT_THAT(SearchAll("nothing here", "at (0x[0-9a-f]+)"), IsEmpty());
}

TEST(LinesTest, DropsEmptyLinesAndNewlines) {
  EXPECT_THAT(Lines("a\n\nb\n"), ElementsAre("a", "b"));
}

TEST(CountTest, CountsEveryOccurrence) {
  EXPECT_EQ(Count("ab ab ab", "ab"), 3);
  EXPECT_EQ(Count("ab", "c"), 0);
}

TEST(FindLineTest, FindsFromAnIndex) {
  const std::vector<std::string> lines = {"t1 reads", "t2 reads", "t1 reads"};
  EXPECT_EQ(FindLine(lines, "t1"), 0);
  EXPECT_EQ(FindLine(lines, "t1", 1), 2);
  EXPECT_EQ(FindLine(lines, "t3"), -1);
}

}  // namespace
}  // namespace lesson::testing
