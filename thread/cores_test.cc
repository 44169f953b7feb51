#include <sched.h>

#include <string>
#include <vector>

#include "common/lesson_testing.h"
#include "common/machine.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace {

using namespace ::lesson::testing;  // RunLesson, RanCleanly, Search, HasSubstr...

// The "CPU/wall" figure of each of the cases, in order.
std::vector<double> CpuPerWall(const std::string& out) {
  std::vector<double> ratios;
  for (const Groups& figure : SearchAll(out, "CPU/wall (\\d+\\.\\d+)")) {
    ratios.push_back(std::stod(figure[1]));
  }
  return ratios;
}

// Threads pinned to one CPU can never use more than one CPU-second per second, however
// many there are: that is what pinning means, and it holds on any machine, loaded or not.
TEST(CoresTest, PinnedToOneCoreNeverExceedsOneCpu) {
  lesson::ProgramResult r = RunLesson("thread/cores", {"--task=20ms", "--max_threads=3"});
  ASSERT_THAT(r, RanCleanly());
  const std::string& out = r.stdout_text;
  EXPECT_THAT(out, Not(HasSubstr("could not pin")));
  std::vector<double> ratios = CpuPerWall(out);
  ASSERT_GE(ratios.size(), 2u) << out;
  EXPECT_LE(ratios[0], 1.05) << "one core, one thread\n" << out;
  EXPECT_LE(ratios[1], 1.05) << "one core, two threads\n" << out;
  EXPECT_THAT(out, HasSubstr("finished: 喝酒 "));
  // The sweep has one row per thread count, then the points chosen from the figures:
  // one about time slicing, one about case 3, one about the sweep.
  EXPECT_THAT(out, ContainsRegex("\n +3 +[0-9]+ +[0-9]+ +[0-9.]+x"));
  EXPECT_THAT(out, ContainsRegex("按时间片强制切换|too few to show time slices|did "
                                 "not take turns"));
  EXPECT_THAT(out, ContainsRegex("Case 3 (used|could not run|measured)"));
  EXPECT_THAT(out, ContainsRegex("sweep|more threads cannot make it faster"));
}

// On a machine with two or more CPUs the lesson runs the two-core case too.
TEST(CoresTest, TwoCoreCaseWhenAvailable) {
  lesson::ProgramResult r = RunLesson("thread/cores", {"--task=10ms", "--max_threads=1"});
  ASSERT_THAT(r, RanCleanly());
  if (lesson::UsableCores() >= 2) {  // As the lesson decides.
    EXPECT_THAT(r.stdout_text, HasSubstr("3. 多核多线程: two cores, two threads"));
    EXPECT_EQ(Count(LiveOutput(r.stdout_text), "preempted"), 4);
  } else {
    EXPECT_THAT(r.stdout_text, HasSubstr("skipped, this process may use only one core"));
  }
}

// `taskset -c 0`: with one usable CPU the lesson says so, skips case 3, and claims no
// parallelism. The lesson inherits this thread's affinity mask, as it would taskset's.
TEST(CoresTest, OneUsableCoreIsDetected) {
  lesson::ProgramResult r;
  {
    lesson::OnOneCpu pinned;
    r = RunLesson("thread/cores", {"--task=10ms", "--max_threads=2"});
  }
  ASSERT_THAT(r, RanCleanly());
  const std::string& out = r.stdout_text;
  EXPECT_THAT(out, HasSubstr("3. 多核多线程: skipped, this process may use only one core"));
  EXPECT_THAT(out, HasSubstr("Warning: Only 1 core(s) usable by this process"));
  EXPECT_THAT(out, HasSubstr("Case 3 could not run: this process may use 1 core"));
  EXPECT_THAT(out, HasSubstr("With one usable core more threads cannot make it faster"));
  EXPECT_THAT(out, Not(HasSubstr("really ran at the same moment")));
}

TEST(CoresTest, RejectsBadFlags) {
  ExpectRejected("thread/cores", "--task=1ms");
  ExpectRejected("thread/cores", "--task=200");  // A duration needs a unit.
  ExpectRejected("thread/cores", "--max_threads=0");
  ExpectRejected("thread/cores", "--max_threads=65");
}

}  // namespace
