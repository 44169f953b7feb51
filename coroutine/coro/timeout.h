// coroutine/coro/timeout.h — giving up after a while: Timeout (asyncio.timeout) and WaitFor.
//
//   int n = co_await coro::Timeout(1s, Fetch());          // async with asyncio.timeout(1):
//                                                          //     n = await fetch()
//   int m = co_await coro::WaitFor(future, 1s);           // await asyncio.wait_for(task, 1)
//
// Both raise TimeoutError in the caller when the time is up, after the work was cancelled
// and has ended. They differ in where the work runs:
// - Timeout(d, work) runs `work` inside the calling task (like asyncio.timeout(), new in
//   Python 3.11: a scope around awaits). At the deadline it cancels the calling task;
//   when the CancelledError comes back out of `work`, Timeout turns it into TimeoutError
//   (only if nobody else cancelled the task meanwhile: then it stays a CancelledError).
//   To bound several awaits, wrap them in one coroutine (a lambda works, since it is
//   awaited at once).
// - WaitFor(future, d) waits for a task the loop runs (asyncio.wait_for); at the deadline
//   it cancels that task and waits for it to end. Cancelling the caller cancels it too.
// If the work catches the CancelledError and returns a value anyway, that value is
// returned (asyncio behaves the same).
//
// How: a small helper task sleeps until the deadline and then cancels the caller; when
// the work ends first, the helper is cancelled instead. In a trace it is a task named
// "timeout" beside the caller's.
#ifndef COROUTINE_CORO_TIMEOUT_H_
#define COROUTINE_CORO_TIMEOUT_H_

#include <exception>
#include <optional>
#include <stdexcept>
#include <type_traits>
#include <utility>

#include "coroutine/coro/clock.h"
#include "coroutine/coro/event_loop.h"
#include "coroutine/coro/future.h"
#include "coroutine/coro/task.h"

namespace coro {

// The time was up (asyncio's TimeoutError, the built-in one since Python 3.11).
class TimeoutError : public std::runtime_error {
 public:
  TimeoutError() : std::runtime_error("the timeout expired") {}
};

namespace internal {

// Sleeps until `deadline`, sets *expired and cancels `target`: the timer of a Timeout.
Task<void> CancelAt(TimePoint deadline, PromiseBase* target, bool* expired);

// Cancels the helper when the Timeout ends, however it ends.
struct DisarmOnExit {
  Future<void>& timer;
  ~DisarmOnExit() { timer.Cancel(); }
};

}  // namespace internal

// Timeout(delay, work): see the contract above.
template <typename T>
Task<T> Timeout(Duration delay, Task<T> work) {
  EventLoop& loop = RunningLoop("coro::Timeout");
  internal::PromiseBase& me = loop.current_task();
  const int cancelling_before = me.cancelling();
  bool expired = false;
  Future<void> timer =
      loop.CreateTask(internal::CancelAt(loop.Now() + delay, &me, &expired), "timeout");
  std::exception_ptr error;
  std::optional<std::conditional_t<std::is_void_v<T>, char, T>> result;
  {
    internal::DisarmOnExit disarm{timer};
    try {
      if constexpr (std::is_void_v<T>) {
        co_await std::move(work);
        result.emplace();
      } else {
        result.emplace(co_await std::move(work));
      }
    } catch (...) {
      error = std::current_exception();
    }
  }
  // asyncio.timeout's __aexit__: withdraw our cancellation; if no other is pending, the
  // CancelledError was ours, and the caller sees a TimeoutError.
  if (expired && me.Uncancel() <= cancelling_before && internal::IsCancelledError(error)) {
    throw TimeoutError();
  }
  if (error) std::rethrow_exception(error);
  if constexpr (!std::is_void_v<T>) co_return std::move(*result);
}

namespace internal {
template <typename T>
Task<T> AwaitFuture(Future<T> future) {
  co_return co_await std::move(future);
}
}  // namespace internal

// WaitFor(future, timeout): asyncio.wait_for(task, timeout).
template <typename T>
Task<T> WaitFor(Future<T> future, Duration timeout) {
  return Timeout(timeout, internal::AwaitFuture(std::move(future)));
}

// WaitFor(task, timeout): asyncio.wait_for(coroutine, timeout), which wraps it in a task.
template <typename T>
Task<T> WaitFor(Task<T> task, Duration timeout) {
  Future<T> future = CurrentLoop("coro::WaitFor").CreateTask(std::move(task));
  co_return co_await Timeout(timeout, internal::AwaitFuture(std::move(future)));
}

}  // namespace coro

#endif  // COROUTINE_CORO_TIMEOUT_H_
