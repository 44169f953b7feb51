// coroutine/coro/coro_testing.h — (testonly) what the library's tests share: a log of what
// their coroutines did, and when, on a VirtualClock.
//
//   Task<void> Sleeper(TimedLog* log) {
//     co_await Sleep(100ms);
//     (*log)(absl::StrFormat("woke at %g", log->Seconds()));
//   }
//   VirtualClock clock;
//   TimedLog log(clock);
//   coro::Run(Sleeper(&log), clock);
//   EXPECT_THAT(log.lines(), ElementsAre("woke at 0.1"));
#ifndef COROUTINE_CORO_CORO_TESTING_H_
#define COROUTINE_CORO_CORO_TESTING_H_

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "coroutine/coro/clock.h"

namespace coro {

// The lines a test's coroutines record as they run, and the virtual time to stamp them
// with. On a VirtualClock the times are exact, so the lines are the exact schedule.
class TimedLog {
 public:
  explicit TimedLog(const VirtualClock& clock) : clock_(clock) {}

  void operator()(std::string line) { lines_.push_back(std::move(line)); }

  // The virtual time since the clock started, in seconds.
  double Seconds() const { return std::chrono::duration<double>(clock_.Elapsed()).count(); }

  const std::vector<std::string>& lines() const { return lines_; }

 private:
  const VirtualClock& clock_;
  std::vector<std::string> lines_;
};

}  // namespace coro

#endif  // COROUTINE_CORO_CORO_TESTING_H_
