// efficiency/event_loop_mode.h — the "coroutines" mode: many jobs on one event loop.
//
// parallel.h runs jobs on threads and processes; this runs them as coroutines on one
// thread, the way the tutorial's asyncio examples do (asyncio.run(main()) with
// asyncio.gather(*jobs)). A job is a coroutine (coro::Task) that co_awaits while it waits,
// so all of them wait at the same time on one thread.
//
//   absl::StatusOr<uint64_t> total = efficiency::RunOnEventLoop(1000, [](int j) {
//     return SleepThenReturn(j);   // a coro::Task<uint64_t>
//   });
#ifndef EFFICIENCY_EVENT_LOOP_MODE_H_
#define EFFICIENCY_EVENT_LOOP_MODE_H_

#include <cstdint>
#include <functional>

#include "absl/status/statusor.h"
#include "coroutine/coro/task.h"

namespace efficiency {

// Makes job number `job` as a coroutine. It must not capture anything that dies before
// the job finishes (pass what it needs as parameters of a coroutine function).
using AsyncJob = std::function<coro::Task<uint64_t>(int job)>;

// Creates a new coro::EventLoop on the calling thread, runs coroutines 0..jobs-1
// concurrently on it (coro::Gather) until all have finished, closes the loop and returns
// the wrapping sum of their results. An exception from a job becomes an Internal error.
absl::StatusOr<uint64_t> RunOnEventLoop(int jobs, const AsyncJob& job);

}  // namespace efficiency

#endif  // EFFICIENCY_EVENT_LOOP_MODE_H_
