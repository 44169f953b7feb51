// thread/cancellable_timer.h — a delayed, cancellable action on its own thread: Python's
// threading.Timer for C++.
//
//   threading::Timer timer(std::chrono::seconds(5), [] { Print("启动线程"); });
//   timer.Start();    // the clock starts now; the action runs about 5 s later
//   timer.Cancel();   // ...unless cancelled first: then it never runs
//   timer.Join();     // wait until it has run (or was cancelled)
//
// Contract:
// - The action runs at most once, on the timer's own thread (a threading::Thread, so
//   threading::ActiveCount() counts it while it waits or runs, as Python counts a Timer).
// - It never runs before `delay` has passed since Start(), measured on the steady clock.
// - Cancel() returns true iff the action has not started and now never will. A Cancel()
//   that returns true wakes the waiting thread at once; the timer ends without running.
// - Destroying a timer cancels it (if it has not started) and then joins its thread, so
//   a timer never outlives its object and never runs after it is gone. (Python differs:
//   its interpreter waits for a pending Timer to fire before exiting.)
// - Under --trace (common/trace.h) the timer's thread shows its delay as a sleep span,
//   then an instant "Timer fired" (and the action as a span) or "Timer cancelled".
// - Cancel(), Join(), state() and Fired() are thread-safe. Start() and destruction
//   belong to the owner. Join() must not be called from inside the action.
#ifndef THREAD_CANCELLABLE_TIMER_H_
#define THREAD_CANCELLABLE_TIMER_H_

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "thread/thread_registry.h"

namespace threading {

class Timer {
 public:
  enum class State {
    kNotStarted,  // Created; Start() not called.
    kWaiting,     // Started; the delay has not passed.
    kRunning,     // The action is running.
    kFinished,    // The action has returned.
    kCancelled,   // Cancelled before the action started; it never runs.
  };

  // Timer(delay, action, name)
  //
  // A timer that, once started, waits `delay` then calls `action` on a thread called
  // `name` (empty: "Thread-<n>", as Python names a Timer).
  Timer(std::chrono::steady_clock::duration delay, std::function<void()> action,
        std::string name = "");

  Timer(const Timer&) = delete;
  Timer& operator=(const Timer&) = delete;

  // Cancels if still pending, then joins the timer's thread.
  ~Timer();

  // Timer::Start()
  //
  // Starts the timer's thread and the delay. Calls after the first, or after Cancel(),
  // do nothing (a cancelled timer stays cancelled).
  void Start();

  // Timer::Cancel()
  //
  // Prevents the action if it has not started: returns true, and the action will never
  // run. Returns false if the action is already running or has finished; Cancel() does
  // not interrupt a running action. Works before Start() too.
  bool Cancel();

  // Timer::Join()
  //
  // Blocks until the timer is done: the action has returned, or the timer was cancelled.
  // Returns at once if the timer was never started.
  void Join();

  State state() const;

  // True once the action has started (it ran or is running).
  bool Fired() const;

 private:
  void Run();  // The timer thread's body.

  const std::chrono::steady_clock::duration delay_;
  const std::function<void()> action_;
  const std::string name_;

  mutable std::mutex mu_;  // std::mutex, not absl::Mutex: TSan must see it (see BUILD).
  std::condition_variable changed_;  // Signalled on every change of state_.
  State state_ ABSL_GUARDED_BY(mu_) = State::kNotStarted;
  std::chrono::steady_clock::time_point deadline_ ABSL_GUARDED_BY(mu_);

  // Set by Start(), read by the destructor: both on the owner's thread.
  std::optional<Thread> thread_;
};

// "not started", "waiting", "running", "finished" or "cancelled".
const char* TimerStateName(Timer::State state);

}  // namespace threading

#endif  // THREAD_CANCELLABLE_TIMER_H_
