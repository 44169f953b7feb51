// //process:crash_isolation: one child dies of SIGSEGV, one of SIGABRT; the parent
// reports both and carries on, and the sibling finishes its work.
#include <string>

#include "common/lesson_testing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace {

using namespace ::lesson::testing;  // RunLesson, RanCleanly, Search, HasSubstr...

TEST(CrashIsolationTest, CrashesStayInTheirProcesses) {
  // The sibling works 1.5 s; the crashes happen at once. It is still running when they
  // are reaped on any machine.
  lesson::ProgramResult r = RunLesson("process/crash_isolation", {"--sibling_work=1500ms"});
  ASSERT_THAT(r, RanCleanly());
  EXPECT_THAT(r.stdout_text, ContainsRegex("segv child  \\(PID [0-9]+\\): killed by signal 11 "
                                           "\\(SIGSEGV: Segmentation fault\\)   \\[Python's "
                                           "exitcode: -11\\]"));
  EXPECT_THAT(r.stdout_text, ContainsRegex("abort child \\(PID [0-9]+\\): killed by signal 6 "
                                           "\\(SIGABRT: Aborted\\)"));
  EXPECT_THAT(r.stdout_text, ContainsRegex("sibling     \\(PID [0-9]+\\): exited with code 0"));
  EXPECT_THAT(r.stdout_text, HasSubstr("2 of 3 children crashed"));
  EXPECT_THAT(r.stdout_text, HasSubstr("The sibling was still running when the crashes were "
                                       "reaped"));

  const std::vector<std::string> lines = Lines(r.stdout_text);
  const int segv_reaped = FindLine(lines, "killed by signal 11");
  EXPECT_EQ(lines[segv_reaped + 1], "    ...and the sibling is still running");
  // All the sibling's steps come after the crashes were reaped.
  EXPECT_GT(FindLine(lines, "sibling: step 3 of 3 done"), FindLine(lines, "killed by signal 6"));
}

TEST(CrashIsolationTest, RejectsBadFlags) {
  for (const char* flag :
       {"--sibling_work=0s", "--sibling_work=100s", "--sibling_work=300", "--sibling_ms=300"}) {
    ExpectRejected("process/crash_isolation", flag);
  }
}

}  // namespace
