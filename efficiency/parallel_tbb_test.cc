// The TBB modes, in their own test: this machine's oneTBB is not built with
// ThreadSanitizer, which therefore cannot see TBB's own synchronisation (task spawn ->
// task run) and reports false races on data handed to a task. Tagged "no_tsan".
//
// The process-limit case forbids new threads (lesson::testing::ForbidNewTasks), hence also
// the "no-sandbox" tag.
#include <unistd.h>

#include <cstdio>
#include <tuple>
#include <vector>

#include "absl/status/status.h"
#include "common/process_limit_testing.h"
#include "efficiency/parallel.h"
#include "efficiency/work.h"
#include "gtest/gtest.h"

namespace efficiency {
namespace {

constexpr uint64_t kIterations = 20'000;

// parallel_for and task_group run every job exactly once, at any concurrency.
TEST(ParallelTbbTest, EveryModeComputesTheSameTotal) {
  const Job job = SpinJob(kIterations);
  for (auto [jobs, workers] : std::vector<std::tuple<int, int>>{
           {1, 1}, {2, 2}, {7, 3}, {3, 8}, {100, 2}}) {
    const uint64_t expected = ExpectedTotal(jobs, kIterations);
    EXPECT_EQ(RunTbbParallelFor(jobs, workers, job).value(), expected) << jobs << "/" << workers;
    EXPECT_EQ(RunTbbTaskGroup(jobs, workers, job).value(), expected) << jobs << "/" << workers;
  }
}

using TbbMode = absl::StatusOr<uint64_t> (*)(int jobs, int workers, const Job& job);

// In a death-test child: an unprivileged user with a zero process limit, so oneTBB cannot
// start its worker threads. Prints what `mode` returned; exits 0 if it was
// ResourceExhausted.
[[noreturn]] void TbbUnderAZeroProcessLimit(TbbMode mode) {
  lesson::testing::ForbidNewTasks();
  const Job job = SpinJob(1000);
  const absl::Status status = mode(100, 2, job).status();
  std::fprintf(stderr, "%s\n", status.ToString().c_str());
  _exit(absl::IsResourceExhausted(status) ? 0 : 1);
}

// oneTBB throws when pthread_create fails; the modes turn that into an error naming the
// limit instead of letting it end the program with an abort. Each mode runs in a fresh
// child ("threadsafe" death tests re-execute the test binary): once oneTBB has failed to
// start workers, later calls in the same process run on the calling thread alone.
TEST(ParallelTbbDeathTest, ThreadLimitIsAnErrorNamingIt) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(TbbUnderAZeroProcessLimit(&RunTbbParallelFor), testing::ExitedWithCode(0),
              "RESOURCE_EXHAUSTED: tbb::parallel_for: .*RLIMIT_NPROC");
  EXPECT_EXIT(TbbUnderAZeroProcessLimit(&RunTbbTaskGroup), testing::ExitedWithCode(0),
              "RESOURCE_EXHAUSTED: tbb::task_group: .*RLIMIT_NPROC");
}

}  // namespace
}  // namespace efficiency
