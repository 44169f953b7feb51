#include <string>

#include "common/lesson_testing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace {

using namespace ::lesson::testing;  // RunLesson, RanCleanly, Search, HasSubstr...

// The tutorial's tuple arrives intact; a copy is private, a std::ref is shared.
TEST(ArgsTest, ByValueAndByReference) {
  lesson::ProgramResult r = RunLesson("thread/args");
  ASSERT_THAT(r, RanCleanly());
  EXPECT_THAT(r.stdout_text, HasSubstr("传递的参数为(1, '2', {'c': 3})"));
  EXPECT_THAT(r.stdout_text, HasSubstr("my c is still {'c': 3}"));
  EXPECT_THAT(r.stdout_text, HasSubstr("my c is now {'c': 103}"));
  EXPECT_THAT(r.stdout_text, HasSubstr("\n启动子线程\n传递的参数为(1, '2', {'c': 3})\n"));
  EXPECT_THAT(r.stdout_text, HasSubstr("main's stayed 3. std::ref shares: the thread's +100 "
                                       "made main's c 103"));
}

// Other arguments from the flags arrive just the same.
TEST(ArgsTest, ArgumentsFromFlags) {
  lesson::ProgramResult r = RunLesson("thread/args", {"--a=7", "--b=hello", "--c=-9"});
  ASSERT_THAT(r, RanCleanly());
  EXPECT_THAT(r.stdout_text, HasSubstr("传递的参数为(7, 'hello', {'c': -9})"));
}

// A copied string gets a new buffer; a moved one keeps main's, and main's is emptied.
TEST(ArgsTest, CopyAllocatesMoveDoesNot) {
  lesson::ProgramResult r = RunLesson("thread/args");
  ASSERT_THAT(r, RanCleanly());
  const Groups buffers = Search(r.stdout_text,
                                "main:   buffer at (0x[0-9a-f]+)\n"
                                "thread: copied buffer at (0x[0-9a-f]+).*\n"
                                "thread: moved buffer at (0x[0-9a-f]+)");
  ASSERT_FALSE(buffers.empty()) << r.stdout_text;
  const std::string &mine = buffers[1], &copied = buffers[2], &moved = buffers[3];
  EXPECT_NE(copied, mine);
  EXPECT_EQ(moved, mine);
  EXPECT_THAT(r.stdout_text, HasSubstr("after the move my string has 0 bytes"));
}

TEST(ArgsTest, RejectsBadFlags) {
  ExpectRejected("thread/args", "--a=one");
  ExpectRejected("thread/args", "--c=2000000000");
  ExpectRejected("thread/args", "--b=" + std::string(101, 'x'));
}

}  // namespace
