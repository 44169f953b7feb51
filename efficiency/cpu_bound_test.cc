#include <string>

#include "common/lesson_testing.h"
#include "common/machine.h"
#include "efficiency/experiment_testing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace efficiency_test {
namespace {

constexpr char kBinary[] = "efficiency/cpu_bound";

// --json prints one object with every mode and the run's warnings; every mode's result was
// checked against the closed form inside the binary (it exits 1 otherwise).
TEST(CpuBoundTest, JsonFollowsTheContract) {
  Json json = RunJson(kBinary, {"--iterations=200000", "--repeats=2"});
  ExpectContract(json, "cpu_bound", {"single", "threads", "processes", "tbb"});
  EXPECT_GT(json["details"]["ns_per_iteration"].get<double>(), 0);
  EXPECT_EQ(RowOf(json, "threads")["workers"], 2);
  EXPECT_EQ(RowOf(json, "single")["samples"].size(), 2u);
}

// On one usable core (started as `taskset -c <first cpu>` would: the child inherits the
// affinity mask) the run says so, in the JSON and in words, and does not claim that the
// threads ran in parallel.
TEST(CpuBoundTest, OneCoreIsSaidNotConcluded) {
  lesson::ProgramResult r;
  {
    lesson::OnOneCpu pinned;
    r = RunExperiment(kBinary, {"--iterations=200000", "--repeats=1"});
  }
  ASSERT_THAT(r, RanCleanly());
  EXPECT_THAT(r.stdout_text, HasSubstr("This run cannot show that C++ threads run in parallel"));
  EXPECT_THAT(r.stdout_text, HasSubstr("Warning: Only 1 core(s) usable"));
  EXPECT_THAT(r.stdout_text, HasSubstr("threads (!)"));
  EXPECT_THAT(r.stdout_text, Not(HasSubstr("ran on 2 cores at once")));
}

// The readable run: title, table, the comparison with the tutorial, what to notice.
TEST(CpuBoundTest, PrintsTableAndNotice) {
  lesson::ProgramResult r =
      RunExperiment(kBinary, {"--iterations=100000", "--repeats=1", "--workers=3", "--jobs=5"});
  ASSERT_THAT(r, RanCleanly());
  EXPECT_THAT(r.stdout_text, HasSubstr("CPU-bound work"));
  EXPECT_THAT(r.stdout_text, HasSubstr("median s"));
  EXPECT_THAT(r.stdout_text, HasSubstr("46.8 s"));
  EXPECT_THAT(r.stdout_text, HasSubstr("What to notice"));
}

// Nonsense flags: one line naming the flag, exit 2, before anything starts.
TEST(CpuBoundTest, RejectsBadFlags) {
  for (const char* flag : {"--iterations=0", "--workers=0", "--workers=65", "--jobs=-1",
                           "--repeats=0", "--repeats=many", "--threads=2"}) {
    ExpectRejected(kBinary, flag);
  }
}

// Each flag in its range, but together more than a minute of work: refused, naming them.
TEST(CpuBoundTest, RejectsRunsLongerThanAMinute) {
  ExpectRejected(kBinary, {"--iterations=20000000000", "--jobs=256", "--repeats=50"},
                 "--iterations=20000000000 with --jobs=256");
  ExpectRejected(kBinary, {"--jobs=256"}, "would run for about");
}

}  // namespace
}  // namespace efficiency_test
