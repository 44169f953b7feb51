#include <string>

#include "efficiency/experiment_testing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace efficiency_test {
namespace {

constexpr char kBinary[] = "efficiency/cpu_bound";

// --json prints one object with every mode; every mode's result was checked against the
// closed form inside the binary (it exits 1 otherwise).
TEST(CpuBoundTest, JsonFollowsTheContract) {
  JsonValue json = RunJson(kBinary, {"--iterations=200000", "--repeats=2"});
  ExpectContract(json, "cpu_bound", {"single", "threads", "processes", "tbb"});
  EXPECT_GT(json.at("details").at("ns_per_iteration").number(), 0);
  EXPECT_EQ(RowOf(json, "threads").at("workers").number(), 2);
  EXPECT_EQ(RowOf(json, "single").at("samples").items().size(), 2u);
}

// The readable run: title, table, and the comparison with the tutorial.
TEST(CpuBoundTest, PrintsTableAndNotice) {
  lesson::ProgramResult r = RunExperiment(kBinary, {"--iterations=100000", "--repeats=1", "--workers=3",
                                          "--jobs=5"});
  EXPECT_EQ(r.exit_code, 0) << r.stderr_text;
  EXPECT_THAT(r.stdout_text, testing::HasSubstr("CPU-bound work"));
  EXPECT_THAT(r.stdout_text, testing::HasSubstr("median s"));
  EXPECT_THAT(r.stdout_text, testing::HasSubstr("46.8 s"));
  EXPECT_THAT(r.stdout_text, testing::HasSubstr("What to notice"));
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
