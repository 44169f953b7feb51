#include <string>

#include "common/lesson_testing.h"
#include "efficiency/experiment_testing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace efficiency_test {
namespace {

constexpr char kBinary[] = "efficiency/processes_and_coroutines";

// Every way of running the mixed jobs returned the right total (checked in the binary),
// and the verdict names one of the concurrent modes.
TEST(ProcessesAndCoroutinesTest, JsonFollowsTheContract) {
  Json json = RunJson(kBinary, {"--jobs=12", "--cpu_iterations=2000", "--wait=1ms",
                                "--repeats=1", "--processes=3"});
  ExpectContract(json, "processes_and_coroutines",
                 {"single", "coroutines", "threads", "threads_gil", "processes_coroutines"});
  EXPECT_EQ(RowOf(json, "processes_coroutines")["workers"].get<double>(), 3);
  EXPECT_EQ(json["details"]["coroutines_per_process"].get<double>(), 4);
  EXPECT_THAT(json["details"]["winner"].get<std::string>(),
              AnyOf("coroutines", "threads", "threads_gil", "processes_coroutines"));
}

TEST(ProcessesAndCoroutinesTest, PrintsVerdict) {
  lesson::ProgramResult r =
      RunExperiment(kBinary, {"--jobs=6", "--cpu_iterations=1000", "--wait=1ms", "--repeats=1"});
  ASSERT_THAT(r, RanCleanly());
  EXPECT_THAT(r.stdout_text, HasSubstr("Fastest: "));
  EXPECT_THAT(r.stdout_text, HasSubstr("What to notice"));
}

TEST(ProcessesAndCoroutinesTest, RejectsBadFlags) {
  for (const char* flag : {"--jobs=0", "--processes=1000", "--wait=-1s", "--rounds=0"}) {
    ExpectRejected(kBinary, flag);
  }
}

// A zero switch interval (CPython refuses it too) and runs of more than a minute.
TEST(ProcessesAndCoroutinesTest, RejectsZeroIntervalAndLongRuns) {
  ExpectRejected(kBinary, "--switch_interval=0");
  ExpectRejected(kBinary, {"--wait=10s", "--rounds=100"}, "--jobs=100 with");
  ExpectRejected(kBinary, {"--jobs=4000", "--cpu_iterations=1000000000"}, "--jobs=4000 with");
}

}  // namespace
}  // namespace efficiency_test
