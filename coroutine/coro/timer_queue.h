// coroutine/coro/timer_queue.h — the event loop's timers: which sleeping coroutine wakes next.
//
// A timer is (deadline, coroutine to resume). The loop needs the earliest one, fast, and a
// million sleeping coroutines need a million timers, so each entry must be small.
//
// The usual store is a binary heap ordered by deadline: O(log n) per timer, and every pop
// walks log n levels of a big array. But timers usually arrive in deadline order: a million
// `Sleep(100ms)` started one after another have non-decreasing deadlines. So this queue
// keeps two stores:
//   - a FIFO of timers that arrived in deadline order (16 bytes each, O(1) push and pop);
//   - a heap for the others (24 bytes each: deadline, arrival number, coroutine).
// The earliest timer is the smaller of the FIFO's front and the heap's top.
//
// Contract: timers come out in deadline order, and timers with equal deadlines in the
// order they were pushed (so the loop is deterministic). Entries are plain values: no
// allocation per timer beyond the stores' own blocks, no std::function. Timers cannot be
// cancelled one by one (Clear() drops them all); the loop never needs more. Not
// thread-safe.
#ifndef COROUTINE_CORO_TIMER_QUEUE_H_
#define COROUTINE_CORO_TIMER_QUEUE_H_

#include <coroutine>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <vector>

#include "coroutine/coro/clock.h"

namespace coro {

class TimerQueue {
 public:
  // TimerQueue::Push()
  //
  // Adds a timer that resumes `coroutine` at `deadline`.
  void Push(TimePoint deadline, std::coroutine_handle<> coroutine);

  // TimerQueue::PopDue()
  //
  // Removes and returns the earliest timer's coroutine if its deadline is at or before
  // `now`; otherwise returns nullptr and changes nothing.
  std::coroutine_handle<> PopDue(TimePoint now);

  // TimerQueue::NextDeadline()
  //
  // The earliest deadline. Precondition: !empty().
  TimePoint NextDeadline() const;

  bool empty() const { return in_order_.empty() && out_of_order_.empty(); }
  std::size_t size() const { return in_order_.size() + out_of_order_.size(); }

  // Drops every timer without resuming anything, and frees the stores' memory.
  void Clear();

  // For tests and the benchmark: how many timers sit in each store.
  std::size_t fifo_size() const { return in_order_.size(); }
  std::size_t heap_size() const { return out_of_order_.size(); }

 private:
  struct InOrderTimer {
    std::int64_t deadline;  // nanoseconds since the clock's epoch
    std::coroutine_handle<> coroutine;
  };
  struct OutOfOrderTimer {
    std::int64_t deadline;
    std::uint64_t arrival;  // orders equal deadlines within the heap
    std::coroutine_handle<> coroutine;
  };
  static bool Later(const OutOfOrderTimer& a, const OutOfOrderTimer& b) {
    return a.deadline != b.deadline ? a.deadline > b.deadline : a.arrival > b.arrival;
  }
  // True if the heap's top comes before the FIFO's front. Both must be non-empty.
  bool HeapFirst() const;

  std::deque<InOrderTimer> in_order_;          // non-decreasing deadlines
  std::vector<OutOfOrderTimer> out_of_order_;  // a min-heap under Later
  std::uint64_t arrivals_ = 0;
};

}  // namespace coro

#endif  // COROUTINE_CORO_TIMER_QUEUE_H_
