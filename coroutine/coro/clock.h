// coroutine/coro/clock.h — where an EventLoop gets its time from: real, or virtual for tests.
//
// The loop asks its clock two things: what time it is (to set a timer's deadline), and,
// when nothing is ready to run, what to do until the next timer is due. A RealClock says
// "block in epoll until then"; a VirtualClock jumps straight to the deadline. With a
// VirtualClock, three `co_await Sleep(1s)` in a test take no real time and end at exactly
// 1 s, 2 s and 3 s of virtual time, whatever the machine's load.
//
// A Clock must outlive every EventLoop that uses it. Not thread-safe (neither is the loop).
#ifndef COROUTINE_CORO_CLOCK_H_
#define COROUTINE_CORO_CLOCK_H_

#include <chrono>

namespace coro {

using Duration = std::chrono::nanoseconds;
using TimePoint = std::chrono::time_point<std::chrono::steady_clock, Duration>;

class Clock {
 public:
  virtual ~Clock() = default;

  // Clock::Now()
  //
  // The current time. Never goes backwards.
  virtual TimePoint Now() = 0;

  // Clock::IdleUntil()
  //
  // Called when the loop has nothing to run before `deadline` (its next timer). Returns
  // how long the loop may block waiting for I/O: RealClock returns deadline - Now() (zero
  // if past); VirtualClock advances its time to `deadline` and returns zero, so I/O is
  // only polled, never waited for.
  virtual Duration IdleUntil(TimePoint deadline) = 0;
};

// std::chrono::steady_clock: the default.
class RealClock final : public Clock {
 public:
  // The process-wide instance EventLoop() uses.
  static RealClock& Instance() {
    static RealClock clock;
    return clock;
  }

  TimePoint Now() override {
    return std::chrono::time_point_cast<Duration>(std::chrono::steady_clock::now());
  }
  Duration IdleUntil(TimePoint deadline) override {
    Duration left = deadline - Now();
    return left > Duration::zero() ? left : Duration::zero();
  }
};

// Time that moves only when the loop is idle (to its next timer) or when Advance() is
// called. Starts at TimePoint{} (zero).
class VirtualClock final : public Clock {
 public:
  TimePoint Now() override { return now_; }
  Duration IdleUntil(TimePoint deadline) override {
    if (deadline > now_) now_ = deadline;
    return Duration::zero();
  }

  // Moves time forward by `by` (ignored if negative).
  void Advance(Duration by) {
    if (by > Duration::zero()) now_ += by;
  }

  // Time since the clock was created: what a test asserts on.
  Duration Elapsed() const { return now_ - TimePoint{}; }

 private:
  TimePoint now_{};
};

}  // namespace coro

#endif  // COROUTINE_CORO_CLOCK_H_
