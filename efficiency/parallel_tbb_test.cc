// The TBB modes, in their own test: this machine's oneTBB is not built with
// ThreadSanitizer, which therefore cannot see TBB's own synchronisation (task spawn ->
// task run) and reports false races on data handed to a task. Tagged "no_tsan".
#include <tuple>
#include <vector>

#include "efficiency/parallel.h"
#include "efficiency/work.h"
#include "gtest/gtest.h"

namespace efficiency {
namespace {

constexpr uint64_t kIterations = 20'000;

// parallel_for and task_group run every job exactly once, at any concurrency.
TEST(ParallelTbbTest, EveryModeComputesTheSameTotal) {
  const Job job = [](int j) { return Spin(kIterations, JobSeed(j)); };
  for (auto [jobs, workers] : std::vector<std::tuple<int, int>>{
           {1, 1}, {2, 2}, {7, 3}, {3, 8}, {100, 2}}) {
    const uint64_t expected = ExpectedTotal(jobs, kIterations);
    EXPECT_EQ(RunTbbParallelFor(jobs, workers, job).value(), expected) << jobs << "/" << workers;
    EXPECT_EQ(RunTbbTaskGroup(jobs, workers, job).value(), expected) << jobs << "/" << workers;
  }
}

}  // namespace
}  // namespace efficiency
