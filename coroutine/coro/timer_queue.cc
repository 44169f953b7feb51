#include "coroutine/coro/timer_queue.h"

#include <algorithm>
#include <cassert>

namespace coro {
namespace {

std::int64_t Nanos(TimePoint t) { return t.time_since_epoch().count(); }

}  // namespace

void TimerQueue::Push(TimePoint deadline, std::coroutine_handle<> coroutine) {
  const std::int64_t when = Nanos(deadline);
  if (in_order_.empty() || when >= in_order_.back().deadline) {
    in_order_.push_back({when, coroutine});
  } else {
    out_of_order_.push_back({when, arrivals_, coroutine});
    std::push_heap(out_of_order_.begin(), out_of_order_.end(), Later);
  }
  ++arrivals_;
}

// Why equal deadlines need no arrival number in the FIFO: a timer h goes to the heap only
// when the FIFO's back b has a later deadline than h. b cannot leave the FIFO before h
// leaves the heap (h is earlier), so while h waits, the FIFO's back stays later than h,
// and any timer with h's deadline that arrives meanwhile goes to the heap too. Hence a
// FIFO timer and a heap timer with the same deadline: the FIFO one arrived first.
bool TimerQueue::HeapFirst() const {
  return out_of_order_.front().deadline < in_order_.front().deadline;
}

TimePoint TimerQueue::NextDeadline() const {
  assert(!empty());
  std::int64_t when;
  if (out_of_order_.empty()) {
    when = in_order_.front().deadline;
  } else if (in_order_.empty() || HeapFirst()) {
    when = out_of_order_.front().deadline;
  } else {
    when = in_order_.front().deadline;
  }
  return TimePoint(Duration(when));
}

std::coroutine_handle<> TimerQueue::PopDue(TimePoint now) {
  if (empty()) return nullptr;
  const std::int64_t limit = Nanos(now);
  if (!out_of_order_.empty() && (in_order_.empty() || HeapFirst())) {
    if (out_of_order_.front().deadline > limit) return nullptr;
    std::pop_heap(out_of_order_.begin(), out_of_order_.end(), Later);
    std::coroutine_handle<> due = out_of_order_.back().coroutine;
    out_of_order_.pop_back();
    return due;
  }
  if (in_order_.front().deadline > limit) return nullptr;
  std::coroutine_handle<> due = in_order_.front().coroutine;
  in_order_.pop_front();
  return due;
}

void TimerQueue::Clear() {
  in_order_ = {};
  out_of_order_ = {};
}

}  // namespace coro
