#include <sched.h>

#include <regex>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "thread/lesson_testing.h"

namespace {

using testing::HasSubstr;
using thread_testing::Count;
using thread_testing::ExpectRejected;
using thread_testing::RunLesson;

// The "CPU/wall" figure of each of the three cases, in order.
std::vector<double> CpuPerWall(const std::string& out) {
  std::vector<double> ratios;
  const std::regex figure("CPU/wall (\\d+\\.\\d+)");
  for (auto it = std::sregex_iterator(out.begin(), out.end(), figure);
       it != std::sregex_iterator(); ++it) {
    ratios.push_back(std::stod((*it)[1]));
  }
  return ratios;
}

// Threads pinned to one CPU can never use more than one CPU-second per second, however
// many there are: that is what pinning means, and it holds on any machine, loaded or not.
TEST(CoresTest, PinnedToOneCoreNeverExceedsOneCpu) {
  auto r = RunLesson("cores", {"--task=20ms", "--max_threads=3"});
  const std::string& out = r.stdout_text;
  EXPECT_THAT(out, testing::Not(HasSubstr("could not pin")));
  std::vector<double> ratios = CpuPerWall(out);
  ASSERT_GE(ratios.size(), 2u) << out;
  EXPECT_LE(ratios[0], 1.05) << "one core, one thread\n" << out;
  EXPECT_LE(ratios[1], 1.05) << "one core, two threads\n" << out;
  EXPECT_THAT(out, HasSubstr("finished: 喝酒 drink at"));
  // The sweep has one row per thread count and a measured conclusion.
  EXPECT_THAT(out, testing::ContainsRegex("\n +3 +[0-9]+ +[0-9]+ +[0-9.]+x"));
  EXPECT_THAT(out, HasSubstr("measured: fastest with"));
}

// On a machine with two or more CPUs the lesson runs the two-core case too.
TEST(CoresTest, TwoCoreCaseWhenAvailable) {
  cpu_set_t set;
  CPU_ZERO(&set);
  ASSERT_EQ(sched_getaffinity(0, sizeof set, &set), 0);
  auto r = RunLesson("cores", {"--task=10ms", "--max_threads=1"});
  if (CPU_COUNT(&set) >= 2) {
    EXPECT_THAT(r.stdout_text, HasSubstr("3. 多核多线程: two cores, two threads"));
    EXPECT_EQ(Count(thread_testing::LiveOutput(r.stdout_text), "preempted"), 3);
  } else {
    EXPECT_THAT(r.stdout_text, HasSubstr("skipped, this process may use only one CPU"));
  }
}

TEST(CoresTest, RejectsBadFlags) {
  ExpectRejected("cores", "--task=1ms");
  ExpectRejected("cores", "--max_threads=0");
  ExpectRejected("cores", "--max_threads=65");
}

}  // namespace
