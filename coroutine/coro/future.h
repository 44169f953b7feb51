// coroutine/coro/future.h — Future<T>: a handle to a task the event loop runs (asyncio.Task).
//
//   Future<int> f = coro::CreateTask(Answer());   // asyncio.create_task(answer())
//   int a = co_await f;                           // await task
//   f.done(); f.Result(); f.Cancel();             // task.done(), .result(), .cancel()
//   int b = co_await coro::Shield(f);             // await asyncio.shield(task)
//
// Contract:
// - A reference-counted handle: copies share the task. The loop keeps the task's frame
//   while it runs; Futures keep it (and its result) after that. The frame is freed when
//   the task has finished (or its loop was closed) and no Future is left.
// - done(), Result() (the value, or the task's exception rethrown), Exception() and
//   cancelled(), as asyncio's; reading them before done() throws InvalidStateError.
// - `co_await future` waits until the task has finished. Any number of coroutines may
//   await one Future. If the awaiting task is cancelled meanwhile, the awaited task is
//   cancelled too and the awaiting one keeps waiting for it to end (asyncio passes the
//   cancellation on the same way); Shield(future) instead lets the awaited task run on
//   and raises CancelledError in the awaiting task at once.
// - Cancel(): asyncio's Task.cancel(). Requests that the task raise CancelledError where
//   it is suspended (or at its next suspension, if it is running); false if it has
//   already finished. The task may catch it, clean up, and even carry on.
// - A task that fails and whose exception nobody reads (Result, Exception, co_await,
//   Gather, a TaskGroup) prints "Task exception was never retrieved" on standard error
//   when its frame is freed, as asyncio logs it when such a Task is collected.
#ifndef COROUTINE_CORO_FUTURE_H_
#define COROUTINE_CORO_FUTURE_H_

#include <cassert>
#include <coroutine>
#include <exception>
#include <string>
#include <type_traits>
#include <utility>

#include "coroutine/coro/task.h"

namespace coro {

template <typename T>
class Future;

namespace internal {

// Cancels a task the loop runs (EventLoop::Cancel, on the running loop; future.cc).
bool CancelTask(PromiseBase& task);

// The part of `co_await future` that does not depend on T (future.cc): registers as a
// waiter of the awaited task and suspends the awaiting one until it is told.
class FutureWait final : public Waiter, public Awaited {
 public:
  FutureWait(PromiseBase& awaited, bool shield) : awaited_(awaited), shield_(shield) {}
  FutureWait(const FutureWait&) = delete;
  FutureWait& operator=(const FutureWait&) = delete;
  ~FutureWait();

  void Suspend(std::coroutine_handle<> at);
  // After the wake-up: raises CancelledError if the awaiting task was cancelled.
  void Resumed();

  void OnTaskDone(PromiseBase& task) noexcept override;
  bool Cancel(PromiseBase& waiting) noexcept override;
  std::string Describe() const override;

 private:
  PromiseBase& awaited_;
  PromiseBase* waiting_ = nullptr;
  WaitNode node_;
  bool registered_ = false;
  bool shield_;
};

// `co_await future` (or Shield). Holds its own Future so that the task outlives the wait.
template <typename T, bool kMoveResult>
class FutureAwaiter {
 public:
  FutureAwaiter(Future<T> future, bool shield)
      : future_(std::move(future)), wait_(future_.promise(), shield) {}

  bool await_ready() noexcept { return future_.done(); }
  void await_suspend(std::coroutine_handle<> awaiting) { wait_.Suspend(awaiting); }
  T await_resume() {
    wait_.Resumed();
    if constexpr (std::is_void_v<T>) {
      future_.Result();
    } else if constexpr (kMoveResult) {
      return std::move(future_.Result());
    } else {
      return future_.Result();
    }
  }

 private:
  Future<T> future_;
  FutureWait wait_;
};

}  // namespace internal

template <typename T>
class Future {
 public:
  using promise_type = internal::Promise<T>;
  using Handle = std::coroutine_handle<promise_type>;
  using value_type = T;

  Future() = default;  // refers to no task: valid() is false
  Future(const Future& other) noexcept : handle_(other.handle_) {
    if (handle_) handle_.promise().AddRef();
  }
  Future(Future&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
  Future& operator=(Future other) noexcept {
    std::swap(handle_, other.handle_);
    return *this;
  }
  ~Future() {
    if (handle_) handle_.promise().Release();
  }

  bool valid() const noexcept { return handle_ != nullptr; }

  // True once the task has finished: with a value, an exception, or cancelled.
  bool done() const noexcept { return handle_ && handle_.done(); }

  // True once the task has finished by a CancelledError.
  bool cancelled() const noexcept { return done() && promise().cancelled(); }

  // The task's value, or its exception rethrown (CancelledError if it was cancelled).
  // Throws InvalidStateError if the task has not finished (or never will: its loop was
  // closed first).
  std::add_lvalue_reference_t<T> Result() const {
    promise().RequireDone("Future::Result");
    promise().MarkRetrieved();
    return promise().Value();
  }

  // The exception the task ended with, or nullptr if it returned a value. Like asyncio's
  // exception(), throws CancelledError if the task was cancelled, InvalidStateError if
  // it has not finished.
  std::exception_ptr Exception() const {
    promise().RequireDone("Future::Exception");
    promise().MarkRetrieved();
    if (promise().cancelled()) throw CancelledError();
    return promise().exception();
  }

  // asyncio's Task.cancel(): see the contract above. Call it on the loop's thread.
  bool Cancel() const { return internal::CancelTask(promise()); }

  // asyncio's Task.cancelling(): cancellation requests not withdrawn.
  int cancelling() const noexcept { return promise().cancelling(); }

  // `co_await future`: waits, then returns a copy of the result (or rethrows). On an
  // rvalue Future the result is moved out instead (for move-only T); other copies then
  // see it moved-from.
  internal::FutureAwaiter<T, false> operator co_await() const& {
    return internal::FutureAwaiter<T, false>(*this, /*shield=*/false);
  }
  internal::FutureAwaiter<T, true> operator co_await() && {
    return internal::FutureAwaiter<T, true>(std::move(*this), /*shield=*/false);
  }

  // Two Futures are equal if they refer to the same task (ensure_future(f) is f).
  friend bool operator==(const Future& a, const Future& b) { return a.handle_ == b.handle_; }

  // For the library: the task's promise.
  promise_type& promise() const noexcept {
    assert(handle_ && "use of an empty Future");
    return handle_.promise();
  }

 private:
  friend class EventLoop;
  // Adopts one reference the caller already counted.
  explicit Future(Handle handle) noexcept : handle_(handle) {}

  Handle handle_ = nullptr;
};

// asyncio.shield(task): `co_await Shield(f)` waits for f like `co_await f`, but if the
// awaiting task is cancelled, f runs on undisturbed: only the awaiting task gets the
// CancelledError. (If f itself is cancelled by someone else, the await raises too.)
template <typename T>
internal::FutureAwaiter<T, false> Shield(const Future<T>& future) {
  return internal::FutureAwaiter<T, false>(future, /*shield=*/true);
}

}  // namespace coro

#endif  // COROUTINE_CORO_FUTURE_H_
