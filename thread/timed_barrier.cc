#include "thread/timed_barrier.h"

#include <cstdlib>

#include "common/trace.h"

namespace threading {

const char* BarrierResultName(BarrierResult result) {
  switch (result) {
    case BarrierResult::kPassed:
      return "passed";
    case BarrierResult::kTimedOut:
      return "timed out";
    case BarrierResult::kBroken:
      return "broken";
  }
  return "unknown";
}

TimedBarrier::TimedBarrier(int parties) : parties_(parties) {
  if (parties < 1) std::abort();  // A barrier nobody can pass is a programming error.
}

BarrierResult TimedBarrier::Wait() {
  return WaitUntil(std::chrono::steady_clock::time_point::max());
}

BarrierResult TimedBarrier::WaitFor(std::chrono::steady_clock::duration timeout) {
  return WaitUntil(std::chrono::steady_clock::now() + timeout);
}

BarrierResult TimedBarrier::WaitUntil(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mu_);
  if (broken_) {
    trace::Instant("barrier: broken, not waiting", trace::kBarrier);
    return BarrierResult::kBroken;
  }
  const uint64_t my_generation = generation_;
  if (++arrived_ == parties_) {  // The last arrival releases its group.
    arrived_ = 0;
    ++generation_;
    lock.unlock();
    trace::Instant("barrier: group complete, all released", trace::kBarrier);
    changed_.notify_all();
    return BarrierResult::kPassed;
  }
  const auto released = [&] { return generation_ != my_generation || broken_; };
  {
    // On a timeline: how long this thread stood at the barrier.
    trace::Span waiting("barrier.wait()", trace::kBarrier);
    if (deadline == std::chrono::steady_clock::time_point::max()) {
      changed_.wait(lock, released);
    } else {
      changed_.wait_until(lock, deadline, released);
    }
  }
  // Passing wins over a later Abort() or an expired deadline: the group was complete.
  if (generation_ != my_generation) return BarrierResult::kPassed;
  if (broken_) {
    trace::Instant("barrier: released by abort, did not pass", trace::kBarrier);
    return BarrierResult::kBroken;
  }
  --arrived_;  // Withdraw: the group must wait for someone else.
  trace::Instant("barrier: released at its deadline, did not pass", trace::kBarrier);
  return BarrierResult::kTimedOut;
}

void TimedBarrier::Abort() {
  {
    std::lock_guard lock(mu_);
    broken_ = true;
    arrived_ = 0;  // Nobody is waiting any more: every waiter leaves with kBroken.
  }
  changed_.notify_all();
}

bool TimedBarrier::broken() const {
  std::lock_guard lock(mu_);
  return broken_;
}

int TimedBarrier::waiting() const {
  std::lock_guard lock(mu_);
  return arrived_;
}

}  // namespace threading
