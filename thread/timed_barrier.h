// thread/timed_barrier.h — a barrier whose waiters can be released at a deadline or by
// Abort(): Python's threading.Barrier (wait(timeout), abort(), BrokenBarrierError),
// where std::barrier and absl::Barrier can only wait forever.
//
//   threading::TimedBarrier barrier(3);
//   switch (barrier.WaitUntil(deadline)) {
//     case threading::BarrierResult::kPassed:   ...  // two others arrived in time
//     case threading::BarrierResult::kTimedOut: ...  // the deadline came first
//     case threading::BarrierResult::kBroken:   ...  // someone called Abort()
//   }
//
// Contract:
// - Threads pass in groups of `parties`: the group's last arrival releases the whole
//   group, and the barrier is at once ready for the next group (it is cyclic, like
//   std::barrier and Python's Barrier). Everything a thread did before it arrived is
//   visible to every thread of its group after Wait returns kPassed.
// - A waiter whose deadline passes before its group is complete withdraws its arrival
//   and returns kTimedOut; the group then needs one more arrival. Only that waiter is
//   released: unlike Python, a timeout does not break the barrier for the others.
//   If the group completes first, the waiter returns kPassed, even if its deadline has
//   passed by the time it wakes.
// - Abort() breaks the barrier for good (Python's abort()): every current waiter and
//   every later Wait returns kBroken at once.
// - Under --trace (common/trace.h) each waiter shows a "barrier.wait()" span (state
//   barrier) and an instant when it is released: by its group, its deadline or Abort().
// - All methods are thread-safe. Destroy the barrier only when no thread is in Wait.
#ifndef THREAD_TIMED_BARRIER_H_
#define THREAD_TIMED_BARRIER_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>

#include "absl/base/thread_annotations.h"

namespace threading {

enum class BarrierResult {
  kPassed,    // The group was complete: this thread went through.
  kTimedOut,  // Released at its deadline; it did not pass.
  kBroken,    // Released because the barrier was aborted; it did not pass.
};

// "passed", "timed out" or "broken".
const char* BarrierResultName(BarrierResult result);

class TimedBarrier {
 public:
  // `parties`: how many threads make a group; must be >= 1 (else the program aborts).
  explicit TimedBarrier(int parties);

  TimedBarrier(const TimedBarrier&) = delete;
  TimedBarrier& operator=(const TimedBarrier&) = delete;

  // TimedBarrier::Wait()
  //
  // Arrives and blocks until the group is complete or the barrier is aborted. With no
  // deadline this can block forever, as the tutorial's Barrier does: prefer WaitUntil.
  BarrierResult Wait();

  // TimedBarrier::WaitUntil()
  //
  // Arrives and blocks until the group is complete (kPassed), `deadline` passes
  // (kTimedOut) or the barrier is aborted (kBroken).
  BarrierResult WaitUntil(std::chrono::steady_clock::time_point deadline);

  // TimedBarrier::WaitFor()
  //
  // WaitUntil(now + timeout).
  BarrierResult WaitFor(std::chrono::steady_clock::duration timeout);

  // TimedBarrier::Abort()
  //
  // Breaks the barrier: releases every waiter with kBroken, and every later Wait
  // returns kBroken without blocking.
  void Abort();

  bool broken() const;
  int parties() const { return parties_; }

  // Threads blocked in Wait now (Python's n_waiting).
  int waiting() const;

 private:
  const int parties_;
  mutable std::mutex mu_;  // std::mutex, not absl::Mutex: TSan must see it (see BUILD).
  std::condition_variable changed_;
  int arrived_ ABSL_GUARDED_BY(mu_) = 0;           // Arrivals in the current group.
  uint64_t generation_ ABSL_GUARDED_BY(mu_) = 0;   // Groups released so far.
  bool broken_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace threading

#endif  // THREAD_TIMED_BARRIER_H_
