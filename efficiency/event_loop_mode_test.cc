#include "efficiency/event_loop_mode.h"

#include <stdexcept>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "coroutine/coro/event_loop.h"
#include "common/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace efficiency {
namespace {

coro::Task<uint64_t> Yielding(int job, std::vector<std::string>* trace) {
  trace->push_back("start " + std::to_string(job));
  co_await coro::Sleep(coro::Duration::zero());  // let the others run
  trace->push_back("end " + std::to_string(job));
  co_return static_cast<uint64_t>(job) * 10;
}

// The jobs run concurrently on one loop: each starts before any finishes (they
// interleave at their co_await), and the results are summed.
TEST(RunOnEventLoopTest, JobsInterleaveAndResultsAreSummed) {
  std::vector<std::string> trace;
  absl::StatusOr<uint64_t> total =
      RunOnEventLoop(3, [&trace](int j) { return Yielding(j, &trace); });
  ASSERT_OK(total);
  EXPECT_EQ(*total, 30u);
  EXPECT_THAT(trace, testing::ElementsAre("start 0", "start 1", "start 2", "end 0", "end 1",
                                          "end 2"));
}

coro::Task<uint64_t> Failing(int job) {
  co_await coro::Sleep(coro::Duration::zero());
  if (job == 1) throw std::runtime_error("job 1 failed");
  co_return 1;
}

// An exception in a job becomes an error status naming it.
TEST(RunOnEventLoopTest, ExceptionBecomesError) {
  absl::StatusOr<uint64_t> total = RunOnEventLoop(3, [](int j) { return Failing(j); });
  ASSERT_THAT(total, lesson::testing::StatusIs(absl::StatusCode::kInternal));
  EXPECT_THAT(std::string(total.status().message()), testing::HasSubstr("job 1 failed"));
}

// No jobs: nothing to run, total 0.
TEST(RunOnEventLoopTest, NoJobs) {
  EXPECT_EQ(RunOnEventLoop(0, [](int j) { return Failing(j); }).value(), 0u);
}

}  // namespace
}  // namespace efficiency
