#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "thread/lesson_testing.h"

namespace {

using testing::HasSubstr;
using thread_testing::ExpectRejected;
using thread_testing::Groups;
using thread_testing::RunLesson;
using thread_testing::Search;

// The tutorial's tuple arrives intact; a copy is private, a std::ref is shared.
TEST(ArgsTest, ByValueAndByReference) {
  auto r = RunLesson("args");
  EXPECT_THAT(r.stdout_text, HasSubstr("传递的参数为(1, '2', {'c': 3})"));
  EXPECT_THAT(r.stdout_text, HasSubstr("my c is still {'c': 3}"));
  EXPECT_THAT(r.stdout_text, HasSubstr("my c is now {'c': 103}"));
  EXPECT_THAT(r.stdout_text, HasSubstr("\n启动子线程\n传递的参数为(1, '2', {'c': 3})\n"));
  EXPECT_THAT(r.stdout_text, HasSubstr("main's stayed 3. std::ref shares: the thread's +100 "
                                       "made main's c 103"));
}

// Other arguments from the flags arrive just the same.
TEST(ArgsTest, ArgumentsFromFlags) {
  auto r = RunLesson("args", {"--a=7", "--b=hello", "--c=-9"});
  EXPECT_THAT(r.stdout_text, HasSubstr("传递的参数为(7, 'hello', {'c': -9})"));
}

// A copied string gets a new buffer; a moved one keeps main's, and main's is emptied.
TEST(ArgsTest, CopyAllocatesMoveDoesNot) {
  auto r = RunLesson("args");
  const Groups main_buffer = Search(r.stdout_text, "main:   buffer at (0x[0-9a-f]+)");
  ASSERT_FALSE(main_buffer.empty()) << r.stdout_text;
  const Groups copied = Search(r.stdout_text, "copied buffer at (0x[0-9a-f]+)");
  ASSERT_FALSE(copied.empty()) << r.stdout_text;
  const Groups moved = Search(r.stdout_text, "moved buffer at (0x[0-9a-f]+)");
  ASSERT_FALSE(moved.empty()) << r.stdout_text;
  EXPECT_NE(copied[1], main_buffer[1]);
  EXPECT_EQ(moved[1], main_buffer[1]);
  EXPECT_THAT(r.stdout_text, HasSubstr("after the move my string has 0 bytes"));
}

TEST(ArgsTest, RejectsBadFlags) {
  ExpectRejected("args", "--a=one");
  ExpectRejected("args", "--c=2000000000");
  ExpectRejected("args", "--b=" + std::string(101, 'x'));
}

}  // namespace
