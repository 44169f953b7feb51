#include "efficiency/event_loop_mode.h"

#include <exception>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "coroutine/coro/event_loop.h"
#include "coroutine/coro/gather_and_wait.h"

namespace efficiency {
namespace {

coro::Task<uint64_t> GatherAll(std::vector<coro::Task<uint64_t>> tasks) {
  std::vector<uint64_t> results = co_await coro::Gather(std::move(tasks));
  uint64_t total = 0;
  for (uint64_t r : results) total += r;
  co_return total;
}

}  // namespace

absl::StatusOr<uint64_t> RunOnEventLoop(int jobs, const AsyncJob& job) {
  if (jobs < 0) return absl::InvalidArgumentError("jobs must be >= 0");
  try {
    coro::EventLoop loop;
    std::vector<coro::Task<uint64_t>> tasks;
    tasks.reserve(jobs);
    for (int j = 0; j < jobs; ++j) tasks.push_back(job(j));
    const uint64_t total = loop.RunUntilComplete(GatherAll(std::move(tasks)));
    loop.Close();
    return total;
  } catch (const std::exception& error) {
    return absl::InternalError(error.what());
  }
}

}  // namespace efficiency
