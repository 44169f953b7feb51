// //process:address_space: the child's write to a global is invisible to the parent at
// the same address; the value arrives through a pipe; a MAP_SHARED page is shared.
#include <string>

#include "common/lesson_testing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace {

using namespace ::lesson::testing;  // RunLesson, RanCleanly, Search, HasSubstr...

TEST(AddressSpaceTest, ChildWritesStayInTheChild) {
  lesson::ProgramResult r = RunLesson("process/address_space", {"--increments=12345"});
  ASSERT_THAT(r, RanCleanly());

  const Groups child =
      Search(r.stdout_text, "child  \\(PID \\d+\\): g_counter = 12345 at (0x[0-9a-f]+)");
  ASSERT_FALSE(child.empty()) << r.stdout_text;
  const Groups parent_after = Search(
      r.stdout_text, "parent \\(PID \\d+\\): g_counter = 0 at (0x[0-9a-f]+)   <- after join");
  ASSERT_FALSE(parent_after.empty()) << r.stdout_text;
  EXPECT_EQ(child[1], parent_after[1]);  // Same address, different values.

  EXPECT_THAT(r.stdout_text, HasSubstr("read \"12345\" (5 bytes); g_counter = 12345 now"));
  EXPECT_THAT(r.stdout_text, HasSubstr("parent: shared counter = 12345   <- the child's work"));
  EXPECT_THAT(r.stdout_text, HasSubstr("held 12345 in the child and 0 in the parent"));
}

TEST(AddressSpaceTest, RejectsBadFlags) {
  for (const char* flag : {"--increments=0", "--increments=2000000000", "--increments=ten"}) {
    ExpectRejected("process/address_space", flag);
  }
}

}  // namespace
