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

// The tutorial's counts: 1 before, 2 inside the child, 1 after.
TEST(MainAndChildTest, CountsOneThenTwoThenOne) {
  auto r = RunLesson("main_and_child");
  const std::string& out = r.stdout_text;
  const size_t before = Find(out, "\n线程数量: 1 ");
  const size_t inside = Find(out, "[Thread-1] 线程数量: 2 ");
  const size_t after = out.rfind("\n线程数量: 1 ");
  EXPECT_LT(before, inside);
  EXPECT_LT(inside, after);
  EXPECT_THAT(out, HasSubstr("current thread: MainThread"));
  EXPECT_THAT(out, HasSubstr("enumerate() = [MainThread ("));
  EXPECT_THAT(out, HasSubstr(", Thread-1 ("));
}

// With three children, each counts 1 + 3 live threads, and main lists all four.
TEST(MainAndChildTest, ThreeChildren) {
  auto r = RunLesson("main_and_child", {"--children=3"});
  const std::string out = thread_testing::LiveOutput(r.stdout_text);
  EXPECT_EQ(Count(out, "] 线程数量: 4 "), 3) << out;
  EXPECT_EQ(Count(out, "启动线程"), 3);
  EXPECT_EQ(Count(out, "结束线程"), 3);
  EXPECT_THAT(out, HasSubstr("Thread-3 ("));
}

TEST(MainAndChildTest, RejectsBadFlags) {
  ExpectRejected("main_and_child", "--children=0");
  ExpectRejected("main_and_child", "--children=101");
}

}  // namespace
