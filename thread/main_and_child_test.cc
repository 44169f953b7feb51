#include <string>

#include "common/lesson_testing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace {

using namespace ::lesson::testing;  // RunLesson, RanCleanly, Search, HasSubstr...

// The tutorial's lines and counts: 1 before, 2 inside the child, 1 after.
TEST(MainAndChildTest, CountsOneThenTwoThenOne) {
  lesson::ProgramResult r = RunLesson("thread/main_and_child");
  ASSERT_THAT(r, RanCleanly());
  const std::string out = LiveOutput(r.stdout_text);
  const size_t child = out.find(
      "[Thread-1] 启动线程\n"
      "[Thread-1] 线程数量: 2\n"
      "[Thread-1] 结束线程\n");
  ASSERT_NE(child, std::string::npos) << "the child's three lines, together:\n" << out;
  EXPECT_THAT(out.substr(0, child), HasSubstr("\n线程数量: 1\n")) << "before the child";
  EXPECT_THAT(out.substr(child), HasSubstr("\n线程数量: 1\n")) << "after the child";
  EXPECT_THAT(out, HasSubstr("current thread: MainThread"));
  EXPECT_THAT(out, HasSubstr("enumerate() = [MainThread ("));
  EXPECT_THAT(out, HasSubstr(", Thread-1 ("));
  EXPECT_THAT(r.stdout_text,
              HasSubstr("The count was 1 with the main thread alone, 2 inside the child"));
}

// With three children, each counts 1 + 3 live threads, and main lists all four.
TEST(MainAndChildTest, ThreeChildren) {
  lesson::ProgramResult r = RunLesson("thread/main_and_child", {"--children=3"});
  ASSERT_THAT(r, RanCleanly());
  const std::string out = LiveOutput(r.stdout_text);
  EXPECT_EQ(Count(out, "] 线程数量: 4\n"), 3) << out;
  EXPECT_EQ(Count(out, "] 启动线程"), 3);
  EXPECT_EQ(Count(out, "] 结束线程"), 3);
  EXPECT_THAT(out, HasSubstr("Thread-3 ("));
  EXPECT_THAT(r.stdout_text, HasSubstr("4 inside each child while all 3 ran"));
}

// The tutorial's lines are the same in Chinese; the rest is translated.
TEST(MainAndChildTest, ChineseKeepsTheTutorialLines) {
  lesson::ProgramResult r = RunLesson("thread/main_and_child", {"--lang=zh"});
  ASSERT_THAT(r, RanCleanly());
  EXPECT_THAT(r.stdout_text, HasSubstr("\n线程数量: 1\n"));
  EXPECT_THAT(r.stdout_text, HasSubstr("[Thread-1] 线程数量: 2\n"));
  EXPECT_THAT(r.stdout_text, Not(HasSubstr("current thread:")));
}

TEST(MainAndChildTest, RejectsBadFlags) {
  ExpectRejected("thread/main_and_child", "--children=0");
  ExpectRejected("thread/main_and_child", "--children=101");
  ExpectRejected("thread/main_and_child", "--child=2");  // Misspelt: "did you mean --children?"
}

}  // namespace
