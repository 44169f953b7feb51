#include "thread/cancellable_timer.h"

#include <utility>

#include "common/trace.h"

namespace threading {

Timer::Timer(std::chrono::steady_clock::duration delay, std::function<void()> action,
             std::string name)
    : delay_(delay), action_(std::move(action)), name_(std::move(name)) {}

Timer::~Timer() {
  Cancel();
  if (thread_.has_value()) thread_->Join();
}

void Timer::Start() {
  {
    std::lock_guard lock(mu_);
    if (state_ != State::kNotStarted) return;
    state_ = State::kWaiting;
    deadline_ = std::chrono::steady_clock::now() + delay_;
  }
  changed_.notify_all();
  // Outside the lock: Thread's constructor waits for the new thread, which takes it.
  thread_.emplace(name_, [this] { Run(); });
}

void Timer::Run() {
  std::unique_lock lock(mu_);
  bool cancelled;
  {
    // On a timeline: the delay, then the moment it fired or was cancelled.
    trace::Span delay("Timer: waiting out its delay", trace::kSleep);
    // wait_until rechecks the predicate after every wake-up, so neither a spurious
    // wake-up nor an early notify can start the action before the deadline.
    cancelled = changed_.wait_until(lock, deadline_, [&] { return state_ == State::kCancelled; });
  }
  if (cancelled) {
    trace::Instant("Timer cancelled: the action never runs");
    return;
  }
  state_ = State::kRunning;
  lock.unlock();
  changed_.notify_all();

  trace::Instant("Timer fired");
  {
    trace::Span action("Timer's action");
    action_();
  }

  lock.lock();
  state_ = State::kFinished;
  lock.unlock();
  changed_.notify_all();
}

bool Timer::Cancel() {
  {
    std::lock_guard lock(mu_);
    if (state_ == State::kRunning || state_ == State::kFinished) return false;
    state_ = State::kCancelled;
  }
  changed_.notify_all();
  return true;
}

void Timer::Join() {
  std::unique_lock lock(mu_);
  changed_.wait(lock, [&] {
    return state_ == State::kNotStarted || state_ == State::kFinished ||
           state_ == State::kCancelled;
  });
}

Timer::State Timer::state() const {
  std::lock_guard lock(mu_);
  return state_;
}

bool Timer::Fired() const {
  std::lock_guard lock(mu_);
  return state_ == State::kRunning || state_ == State::kFinished;
}

const char* TimerStateName(Timer::State state) {
  switch (state) {
    case Timer::State::kNotStarted:
      return "not started";
    case Timer::State::kWaiting:
      return "waiting";
    case Timer::State::kRunning:
      return "running";
    case Timer::State::kFinished:
      return "finished";
    case Timer::State::kCancelled:
      return "cancelled";
  }
  return "unknown";
}

}  // namespace threading
