#include "efficiency/parallel.h"

#include <unistd.h>

#include <cstdlib>
#include <tuple>
#include <vector>

#include "absl/status/status.h"
#include "efficiency/work.h"
#include "common/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "process/proc_info.h"

namespace efficiency {
namespace {

constexpr uint64_t kIterations = 20'000;
const Job kSpin = SpinJob(kIterations);

// Every hand-made mode does every job exactly once, whatever the split.
TEST(ParallelTest, EveryModeComputesTheSameTotal) {
  for (auto [jobs, workers] : std::vector<std::tuple<int, int>>{
           {1, 1}, {2, 2}, {2, 1}, {7, 3}, {3, 8}, {16, 4}}) {
    const uint64_t expected = ExpectedTotal(jobs, kIterations);
    EXPECT_EQ(RunSerially(jobs, kSpin).value(), expected) << jobs;
    EXPECT_EQ(RunOnThreads(jobs, workers, kSpin).value(), expected) << jobs << "/" << workers;
    EXPECT_EQ(RunOnProcesses(jobs, workers, kSpin).value(), expected)
        << jobs << "/" << workers;
  }
}

// Zero jobs is an empty sum in every mode.
TEST(ParallelTest, NoJobs) {
  EXPECT_EQ(RunSerially(0, kSpin).value(), 0u);
  EXPECT_EQ(RunOnThreads(0, 2, kSpin).value(), 0u);
  EXPECT_EQ(RunOnProcesses(0, 2, kSpin).value(), 0u);
}

// Nonsense counts are errors, not crashes.
TEST(ParallelTest, RejectsBadCounts) {
  EXPECT_EQ(RunOnThreads(2, 0, kSpin).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(RunOnProcesses(-1, 2, kSpin).status().code(),
            absl::StatusCode::kInvalidArgument);
}

// Work really happens in the children: each job reports its own process id, and the
// jobs run in as many distinct processes as there are workers, none of them this one.
TEST(ParallelTest, ProcessesRunJobsInOtherProcesses) {
  const pid_t self = getpid();
  const Job whose = [](int) { return static_cast<uint64_t>(getpid()); };
  const uint64_t sum = RunOnProcesses(2, 2, whose).value();
  EXPECT_NE(sum, 2u * static_cast<uint64_t>(self));
  EXPECT_EQ(RunOnThreads(2, 2, whose).value(), 2u * static_cast<uint64_t>(self));
}

// A child that crashes is reported, and nothing is left behind.
TEST(ParallelTest, CrashingChildIsAnErrorAndIsReaped) {
  const Job crash_on_one = [](int j) -> uint64_t {
    if (j == 1) std::abort();
    return 1;
  };
  absl::StatusOr<uint64_t> result = RunOnProcesses(3, 3, crash_on_one);
  ASSERT_THAT(result, lesson::testing::StatusIs(absl::StatusCode::kInternal));
  EXPECT_THAT(std::string(result.status().message()), testing::HasSubstr("signal 6"));
  EXPECT_THAT(process::ListChildren(getpid()), testing::IsEmpty());
}

}  // namespace
}  // namespace efficiency
