#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "thread/lesson_testing.h"

namespace {

using testing::HasSubstr;
using thread_testing::Count;
using thread_testing::ExpectRejected;
using thread_testing::Find;
using thread_testing::RunLesson;

// The tutorial's lines and counts: 1 before, 2 inside the child, 1 after.
TEST(MainAndChildTest, CountsOneThenTwoThenOne) {
  auto r = RunLesson("main_and_child");
  const std::string out = thread_testing::LiveOutput(r.stdout_text);
  const size_t before = Find(out, "\n线程数量: 1\n");
  const size_t starts = Find(out, "[Thread-1] 启动线程\n");
  const size_t inside = Find(out, "[Thread-1] 线程数量: 2\n");
  const size_t ends = Find(out, "[Thread-1] 结束线程\n");
  const size_t after = out.rfind("\n线程数量: 1\n");
  EXPECT_LT(before, starts);
  EXPECT_LT(starts, inside);
  EXPECT_LT(inside, ends);
  EXPECT_LT(ends, after);
  EXPECT_THAT(out, HasSubstr("current thread: MainThread"));
  EXPECT_THAT(out, HasSubstr("enumerate() = [MainThread ("));
  EXPECT_THAT(out, HasSubstr(", Thread-1 ("));
  EXPECT_THAT(r.stdout_text, HasSubstr("The count was 1 with the main thread alone, 2 inside the child"));
}

// With three children, each counts 1 + 3 live threads, and main lists all four.
TEST(MainAndChildTest, ThreeChildren) {
  auto r = RunLesson("main_and_child", {"--children=3"});
  const std::string out = thread_testing::LiveOutput(r.stdout_text);
  EXPECT_EQ(Count(out, "] 线程数量: 4\n"), 3) << out;
  EXPECT_EQ(Count(out, "] 启动线程"), 3);
  EXPECT_EQ(Count(out, "] 结束线程"), 3);
  EXPECT_THAT(out, HasSubstr("Thread-3 ("));
  EXPECT_THAT(r.stdout_text, HasSubstr("4 inside each child while all 3 ran"));
}

// The tutorial's lines are the same in Chinese; the rest is translated.
TEST(MainAndChildTest, ChineseKeepsTheTutorialLines) {
  auto r = RunLesson("main_and_child", {"--lang=zh"});
  EXPECT_THAT(r.stdout_text, HasSubstr("\n线程数量: 1\n"));
  EXPECT_THAT(r.stdout_text, HasSubstr("[Thread-1] 线程数量: 2\n"));
  EXPECT_THAT(r.stdout_text, testing::Not(HasSubstr("current thread:")));
}

TEST(MainAndChildTest, RejectsBadFlags) {
  ExpectRejected("main_and_child", "--children=0");
  ExpectRejected("main_and_child", "--children=101");
  ExpectRejected("main_and_child", "--child=2");  // Misspelt: "did you mean --children?"
}

}  // namespace
