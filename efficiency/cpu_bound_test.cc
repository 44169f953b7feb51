#include <sched.h>

#include <string>

#include "efficiency/experiment_testing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace efficiency_test {
namespace {

using testing::HasSubstr;

constexpr char kBinary[] = "efficiency/cpu_bound";

// Runs `binary` as `taskset -c <first cpu>` would: the calling thread's affinity mask is
// narrowed to one CPU while the program starts (a child inherits it), then restored.
lesson::ProgramResult RunOnOneCpu(const std::string& binary, std::vector<std::string> flags) {
  cpu_set_t saved, one;
  CPU_ZERO(&saved);
  sched_getaffinity(0, sizeof saved, &saved);
  CPU_ZERO(&one);
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
    if (CPU_ISSET(cpu, &saved)) {
      CPU_SET(cpu, &one);
      break;
    }
  }
  sched_setaffinity(0, sizeof one, &one);
  lesson::ProgramResult r = RunExperiment(binary, std::move(flags));
  sched_setaffinity(0, sizeof saved, &saved);
  return r;
}

// --json prints one object with every mode and the run's warnings; every mode's result was
// checked against the closed form inside the binary (it exits 1 otherwise).
TEST(CpuBoundTest, JsonFollowsTheContract) {
  Json json = RunJson(kBinary, {"--iterations=200000", "--repeats=2"});
  ExpectContract(json, "cpu_bound", {"single", "threads", "processes", "tbb"});
  EXPECT_GT(json["details"]["ns_per_iteration"].get<double>(), 0);
  EXPECT_EQ(RowOf(json, "threads")["workers"], 2);
  EXPECT_EQ(RowOf(json, "single")["samples"].size(), 2u);
}

// On one usable core (an affinity mask of one CPU) the run says so, in the JSON and in
// words, and does not claim that the threads ran in parallel.
TEST(CpuBoundTest, OneCoreIsSaidNotConcluded) {
  lesson::ProgramResult r = RunOnOneCpu(kBinary, {"--iterations=200000", "--repeats=1"});
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  EXPECT_THAT(r.stdout_text, HasSubstr("This run cannot show that C++ threads run in parallel"));
  EXPECT_THAT(r.stdout_text, HasSubstr("Warning: Only 1 core(s) usable"));
  EXPECT_THAT(r.stdout_text, HasSubstr("threads (!)"));
  EXPECT_THAT(r.stdout_text, testing::Not(HasSubstr("ran on 2 cores at once")));
}

// The readable run: title, table, the comparison with the tutorial, what to notice.
TEST(CpuBoundTest, PrintsTableAndNotice) {
  lesson::ProgramResult r =
      RunExperiment(kBinary, {"--iterations=100000", "--repeats=1", "--workers=3", "--jobs=5"});
  EXPECT_EQ(r.exit_code, 0) << r.stderr_text;
  EXPECT_THAT(r.stdout_text, HasSubstr("CPU-bound work"));
  EXPECT_THAT(r.stdout_text, HasSubstr("median s"));
  EXPECT_THAT(r.stdout_text, HasSubstr("46.8 s"));
  EXPECT_THAT(r.stdout_text, HasSubstr("What to notice"));
  EXPECT_EQ(r.leftover_processes, 0);
}

// Nonsense flags: one line naming the flag, exit 2, before anything starts.
TEST(CpuBoundTest, RejectsBadFlags) {
  ExpectRejected(kBinary, {"--iterations=0"}, "--iterations");
  ExpectRejected(kBinary, {"--workers=0"}, "--workers");
  ExpectRejected(kBinary, {"--workers=65"}, "--workers");
  ExpectRejected(kBinary, {"--jobs=-1"}, "--jobs");
  ExpectRejected(kBinary, {"--repeats=0"}, "--repeats");
  ExpectRejected(kBinary, {"--repeats=many"}, "--repeats");
  ExpectRejected(kBinary, {"--threads=2"}, "--threads");
}

// Each flag in its range, but together more than a minute of work: refused, naming them.
TEST(CpuBoundTest, RejectsRunsLongerThanAMinute) {
  ExpectRejected(kBinary, {"--iterations=20000000000", "--jobs=256", "--repeats=50"},
                 "--iterations=20000000000 with --jobs=256");
  ExpectRejected(kBinary, {"--jobs=256"}, "would run for about");
}

}  // namespace
}  // namespace efficiency_test
