// coroutine/coro/timer_queue.h — the event loop's timers: which sleeping task wakes next.
//
// A timer is (deadline, item): the loop stores the task to wake. The loop asks for the
// earliest timer, again and again, and a million sleeping coroutines need a million
// timers, so each timer must be small and cheap to add and take out.
//
// The textbook store is a binary heap ordered by deadline (asyncio's `_scheduled`):
// O(log n) per timer, each pop walking log n levels of a big array. But timers mostly
// arrive in deadline order: a million `Sleep(100ms)` started one after another have
// non-decreasing deadlines. So this queue keeps two stores:
//   - a FIFO for timers that arrive in deadline order: O(1) in and out;
//   - a heap for the others, with an arrival number so that equal deadlines keep order.
// The earliest timer is the earlier of the FIFO's front and the heap's top.
//
// Contract: timers come out in deadline order, timers with equal deadlines in the order
// they were pushed (so the loop is deterministic). No timer can be taken out early: the
// loop leaves a cancelled sleep's timer in place and ignores it when it comes out (see
// EventLoop). Not thread-safe.
#ifndef COROUTINE_CORO_TIMER_QUEUE_H_
#define COROUTINE_CORO_TIMER_QUEUE_H_

#include <algorithm>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <vector>

#include "coroutine/coro/clock.h"

namespace coro {

// `Item` is a small value (the loop's is a task pointer).
template <typename Item>
class TimerQueue {
 public:
  struct Timer {
    TimePoint deadline;
    Item item;
  };

  // Adds a timer for `item` at `deadline`.
  void Push(TimePoint deadline, Item item) {
    if (in_order_.empty() || deadline >= in_order_.back().deadline) {
      in_order_.push_back({deadline, item});
    } else {
      out_of_order_.push_back({{deadline, item}, arrivals_});
      std::push_heap(out_of_order_.begin(), out_of_order_.end(), Later);
    }
    ++arrivals_;
  }

  // The earliest timer, removed, if its deadline is at or before `now`; else nothing.
  std::optional<Timer> PopDue(TimePoint now) {
    if (empty() || NextDeadline() > now) return std::nullopt;
    if (HeapFirst()) {
      std::pop_heap(out_of_order_.begin(), out_of_order_.end(), Later);
      Timer due = out_of_order_.back().timer;
      out_of_order_.pop_back();
      return due;
    }
    Timer due = in_order_.front();
    in_order_.pop_front();
    return due;
  }

  // The earliest deadline. Precondition: !empty().
  TimePoint NextDeadline() const {
    assert(!empty());
    return HeapFirst() ? out_of_order_.front().timer.deadline : in_order_.front().deadline;
  }

  bool empty() const { return in_order_.empty() && out_of_order_.empty(); }
  std::size_t size() const { return in_order_.size() + out_of_order_.size(); }

  // For tests and the benchmark: how many timers sit in each store.
  std::size_t fifo_size() const { return in_order_.size(); }
  std::size_t heap_size() const { return out_of_order_.size(); }

 private:
  struct OutOfOrder {
    Timer timer;
    std::uint64_t arrival;  // orders equal deadlines within the heap
  };
  static bool Later(const OutOfOrder& a, const OutOfOrder& b) {
    if (a.timer.deadline != b.timer.deadline) return a.timer.deadline > b.timer.deadline;
    return a.arrival > b.arrival;
  }

  // True if the earliest timer is the heap's top. Why a FIFO timer and a heap timer with
  // the same deadline can be ordered without arrival numbers in the FIFO: a timer h goes
  // to the heap only when the FIFO's back b is later than h. b cannot leave before h (h
  // is earlier), so while h waits the FIFO's back stays later than h, and any timer with
  // h's deadline that arrives meanwhile goes to the heap too. So of two timers with the
  // same deadline, one in each store, the FIFO's arrived first: the FIFO goes first.
  bool HeapFirst() const {
    if (out_of_order_.empty()) return false;
    return in_order_.empty() || out_of_order_.front().timer.deadline < in_order_.front().deadline;
  }

  std::deque<Timer> in_order_;            // non-decreasing deadlines
  std::vector<OutOfOrder> out_of_order_;  // a min-heap under Later
  std::uint64_t arrivals_ = 0;
};

}  // namespace coro

#endif  // COROUTINE_CORO_TIMER_QUEUE_H_
