// coroutine/coro/task.h — Task<T>, a lazy coroutine that produces one T, and Future<T>, a handle
// to a Task the event loop runs on its own.
//
// Python's `async def f()` returns a coroutine object; asyncio.create_task() wraps it in a
// Task the event loop drives. Here the same two roles are:
//
//   Task<int> Answer() { co_await coro::Sleep(1s); co_return 42; }   // a coroutine
//   int a = co_await Answer();                  // run it here, to completion (no loop trip)
//   Future<int> f = coro::CreateTask(Answer()); // the loop runs it concurrently
//   int b = co_await f;                         // wait for it (or f.done() / f.Result())
//
// Task<T> contract:
// - Lazy: calling the function allocates the frame and runs nothing.
// - Owns its frame: destroying the Task destroys the frame (and the body's live locals).
// - Single-shot: `co_await task` starts it and resumes the awaiting coroutine when the body
//   finishes, returning its co_return value or rethrowing its exception.
// - Symmetric transfer: awaiting hands control straight to the child, and finishing hands it
//   straight back; neither nests a call on the C++ stack, so a chain of a million awaits
//   (deep or in a loop) runs in constant stack. C++20 spells this "await_suspend returns the
//   next coroutine_handle", which only works if the compiler turns that resume into a tail
//   call: g++ 12 does at -O2 but not at -O0 nor under ASan/TSan (measured: a chain of 1M
//   overflows the stack). So this library hands the next coroutine to a trampoline in the
//   event loop instead (internal::TransferTo): same control flow, a flat stack in every
//   build. Consequence: a Task is awaited from a coroutine the EventLoop runs.
//
// Future<T> contract (see EventLoop::CreateTask):
// - A reference-counted handle to a task the loop owns while it runs; copies share it. The
//   frame is freed when the task has finished (or its loop was closed) and no Future is left.
// - done(), Result() (value, or rethrows the task's exception; InvalidStateError if not
//   done), and `co_await future`, which any number of coroutines may do.
//
// Single-threaded: Tasks and Futures belong to the thread of their EventLoop (no atomics:
// that is what makes them cheap). See event_loop.h.
#ifndef COROUTINE_CORO_TASK_H_
#define COROUTINE_CORO_TASK_H_

#include <cassert>
#include <coroutine>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <new>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace coro {

class EventLoop;
template <typename T = void>
class Task;
template <typename T = void>
class Future;

// Asking a Future for a result it does not have (asyncio.InvalidStateError).
class InvalidStateError : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

// For measurement (the scale lesson and loop_benchmark): the size in bytes the compiler asked
// for when it allocated the most recent Task coroutine frame on this thread.
std::size_t LastTaskFrameSize();

namespace internal {

// ---------------------------------------------------------------------------------------
// The trampoline behind symmetric transfer (see the contract above).
// ---------------------------------------------------------------------------------------

// The coroutine to resume once the running one has suspended. Single-threaded by design:
// each thread has its own.
inline thread_local std::coroutine_handle<> next_to_resume = nullptr;

// Called from an await_suspend: "when I have suspended, resume `next`".
inline void TransferTo(std::coroutine_handle<> next) noexcept {
  assert(next_to_resume == nullptr && "two transfers from one suspension");
  next_to_resume = next;
}

// Resumes `h`, then whichever coroutine control was transferred to, and so on, until a
// coroutine suspends without handing control on. The event loop resumes everything
// through this, so the C++ stack stays one frame deep however long the chain.
inline void Resume(std::coroutine_handle<> h) {
  while (h) {
    h.resume();
    h = std::exchange(next_to_resume, nullptr);
  }
}

// Schedules `h` on the thread's running EventLoop (defined in event_loop.cc).
void ScheduleOnRunningLoop(std::coroutine_handle<> h);

class PromiseBase;

// Told when a task the loop runs has finished. Implemented by the awaiters of Future,
// Gather and Wait. OnTaskDone must not resume anything inline: it schedules.
class Waiter {
 public:
  virtual void OnTaskDone(PromiseBase& task) noexcept = 0;

 protected:
  ~Waiter() = default;
};

// A node of an intrusive circular list: the loop's list of running tasks, with no
// allocation per task. A node that is in no list points at itself.
struct ListNode {
  ListNode* prev = this;
  ListNode* next = this;

  ListNode() = default;
  ListNode(const ListNode&) = delete;
  ListNode& operator=(const ListNode&) = delete;
  ~ListNode() { Unlink(); }

  bool linked() const { return next != this; }
  void InsertBefore(ListNode& position) noexcept {
    prev = position.prev;
    next = &position;
    position.prev->next = this;
    position.prev = this;
  }
  void Unlink() noexcept {
    prev->next = next;
    next->prev = prev;
    prev = next = this;
  }
};

// What every Task frame holds besides its result. Kept small on purpose: a million
// sleeping coroutines each pay for it (40 bytes; see loop_benchmark).
class PromiseBase : public ListNode {
 public:
  PromiseBase() = default;
  PromiseBase(const PromiseBase&) = delete;
  PromiseBase& operator=(const PromiseBase&) = delete;
  ~PromiseBase() {
    if (has_fan_out_) delete static_cast<FanOut*>(static_cast<Waiter*>(link_));
  }

  // Frames are allocated here so that their size can be measured. Both are defined in
  // task.cc, not inline: with only the delete inlined, GCC 12 at -O1 takes the pair for a
  // mismatch (-Wmismatched-new-delete, a false positive).
  static void* operator new(std::size_t bytes);
  static void operator delete(void* frame) noexcept;

  std::suspend_always initial_suspend() noexcept { return {}; }  // lazy
  void unhandled_exception() noexcept { exception_ = std::current_exception(); }

  // The frame this promise lives in, as an untyped handle. (Every Promise<T> has the
  // alignment this assumes; see the static_assert in Promise.)
  std::coroutine_handle<> frame() noexcept {
    return std::coroutine_handle<PromiseBase>::from_promise(*this);
  }

  bool finished() noexcept { return frame().done(); }
  bool failed() const noexcept { return exception_ != nullptr; }
  const std::exception_ptr& exception() const noexcept { return exception_; }
  bool abandoned() const noexcept { return abandoned_; }

  // --- Awaited directly (co_await task): who to hand control back to at the end.
  void SetContinuation(std::coroutine_handle<> awaiting) noexcept { link_ = awaiting.address(); }

  // --- Run by the loop (CreateTask). References: the loop's while it runs, one per Future.
  void MarkSpawned() noexcept { spawned_ = true; }
  void AddRef() noexcept { ++refs_; }
  // Drops a reference; destroys the frame when none is left. The loop only drops its own
  // reference when the task finishes or the loop is closed, so a Future never frees a
  // running task.
  void Release() noexcept {
    assert(refs_ > 0);
    if (--refs_ == 0) frame().destroy();
  }
  std::uint32_t refs() const noexcept { return refs_; }
  void MarkAbandoned() noexcept { abandoned_ = true; }

  void AddWaiter(Waiter* waiter);
  void RemoveWaiter(Waiter* waiter) noexcept;

  // Runs at final_suspend. Returns nothing; control continues at the trampoline.
  void OnFinished() noexcept;

  void RethrowIfFailed() const {
    if (exception_) std::rethrow_exception(exception_);
  }
  void RequireFinished(const char* what) {
    if (finished()) return;
    throw InvalidStateError(abandoned_ ? std::string(what) +
                                             ": the task never finished: its loop was closed"
                                       : std::string(what) + ": the task is not done yet");
  }

 private:
  // Several waiters on one task (rare): a small list replaces the single pointer.
  struct FanOut final : Waiter {
    std::vector<Waiter*> waiters;
    void OnTaskDone(PromiseBase& task) noexcept override {
      for (Waiter* w : waiters) w->OnTaskDone(task);
    }
  };

  void NotifyWaiters() noexcept;

  // Awaited directly: the awaiting coroutine's frame address. Run by the loop: a Waiter*
  // (a FanOut when has_fan_out_). One pointer serves both because a task is either
  // awaited directly or handed to the loop, never both.
  void* link_ = nullptr;
  std::exception_ptr exception_;
  std::uint32_t refs_ = 0;
  bool spawned_ = false;
  bool has_fan_out_ = false;
  bool abandoned_ = false;
};

struct FinalAwaiter {
  bool await_ready() noexcept { return false; }
  template <typename Promise>
  void await_suspend(std::coroutine_handle<Promise> self) noexcept {
    self.promise().OnFinished();  // may destroy the frame: nothing may follow
  }
  void await_resume() noexcept {}
};

template <typename T>
class Promise final : public PromiseBase {
 public:
  Task<T> get_return_object() noexcept;
  FinalAwaiter final_suspend() noexcept { return {}; }
  void return_value(T value) { value_.emplace(std::move(value)); }

  // The value, or the body's exception rethrown. Requires a finished body.
  T& Value() {
    RethrowIfFailed();
    return *value_;
  }

 private:
  std::optional<T> value_;
};

template <>
class Promise<void> final : public PromiseBase {
 public:
  Task<void> get_return_object() noexcept;
  FinalAwaiter final_suspend() noexcept { return {}; }
  void return_void() noexcept {}
  void Value() { RethrowIfFailed(); }
};

// `co_await task`: start the child by symmetric transfer; it transfers back when done.
template <typename T>
struct TaskAwaiter {
  std::coroutine_handle<Promise<T>> child;

  bool await_ready() noexcept { return false; }
  void await_suspend(std::coroutine_handle<> awaiting) noexcept {
    child.promise().SetContinuation(awaiting);
    TransferTo(child);
  }
  T await_resume() {
    if constexpr (std::is_void_v<T>) {
      child.promise().Value();
    } else {
      return std::move(child.promise().Value());
    }
  }
};

}  // namespace internal

template <typename T>
class [[nodiscard]] Task {
 public:
  using promise_type = internal::Promise<T>;
  using Handle = std::coroutine_handle<promise_type>;
  using value_type = T;

  Task() = default;  // an empty task: valid() is false
  Task(Task&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
  Task& operator=(Task&& other) noexcept {
    if (this != &other) {
      if (handle_) handle_.destroy();
      handle_ = std::exchange(other.handle_, nullptr);
    }
    return *this;
  }
  ~Task() {
    if (handle_) handle_.destroy();
  }

  // True if this Task holds a coroutine (false once moved from or handed to the loop).
  bool valid() const noexcept { return handle_ != nullptr; }

  // Task::operator co_await()
  //
  // Runs the task to completion from the awaiting coroutine and returns its result (or
  // rethrows its exception). Precondition: valid() and never started.
  internal::TaskAwaiter<T> operator co_await() && noexcept { return Await(); }
  internal::TaskAwaiter<T> operator co_await() & noexcept { return Await(); }

 private:
  friend promise_type;
  friend class EventLoop;

  explicit Task(Handle handle) noexcept : handle_(handle) {}
  internal::TaskAwaiter<T> Await() noexcept {
    assert(handle_ && "co_await of an empty Task");
    return {handle_};
  }
  Handle Release() noexcept { return std::exchange(handle_, nullptr); }

  Handle handle_ = nullptr;
};

namespace internal {

template <typename T>
Task<T> Promise<T>::get_return_object() noexcept {
  static_assert(alignof(Promise<T>) <= alignof(std::max_align_t),
                "PromiseBase::frame() assumes the promise is at most max_align_t aligned");
  return Task<T>(std::coroutine_handle<Promise<T>>::from_promise(*this));
}
inline Task<void> Promise<void>::get_return_object() noexcept {
  return Task<void>(std::coroutine_handle<Promise<void>>::from_promise(*this));
}

// `co_await future`: registers as a waiter of the task; the loop resumes it when done.
// Holds its own Future so that the task outlives the registration.
template <typename T, bool kMoveResult>
class FutureAwaiter final : public Waiter {
 public:
  explicit FutureAwaiter(Future<T> future) : future_(std::move(future)) {}
  FutureAwaiter(const FutureAwaiter&) = delete;
  FutureAwaiter& operator=(const FutureAwaiter&) = delete;
  ~FutureAwaiter() {
    if (registered_) future_.promise().RemoveWaiter(this);
  }

  bool await_ready() { return future_.done(); }
  void await_suspend(std::coroutine_handle<> awaiting) {
    awaiting_ = awaiting;
    future_.promise().AddWaiter(this);
    registered_ = true;
  }
  T await_resume() {
    if constexpr (std::is_void_v<T>) {
      future_.Result();
    } else if constexpr (kMoveResult) {
      return std::move(future_.Result());
    } else {
      return future_.Result();
    }
  }

  void OnTaskDone(PromiseBase&) noexcept override {
    registered_ = false;
    ScheduleOnRunningLoop(awaiting_);
  }

 private:
  Future<T> future_;
  std::coroutine_handle<> awaiting_ = nullptr;
  bool registered_ = false;
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

  // Future::done()
  //
  // True once the task has finished, with a result or an exception (asyncio's done()).
  bool done() const noexcept { return handle_ && handle_.done(); }

  // Future::Result()
  //
  // The task's value, or its exception rethrown. Throws InvalidStateError if the task has
  // not finished (or never will: its loop was closed first).
  std::add_lvalue_reference_t<T> Result() const {
    promise().RequireFinished("Future::Result");
    return promise().Value();
  }

  // Future::Exception()
  //
  // The exception the task ended with, or nullptr if it returned. Throws
  // InvalidStateError if not done.
  std::exception_ptr Exception() const {
    promise().RequireFinished("Future::Exception");
    return promise().exception();
  }

  // Future::operator co_await()
  //
  // Waits until the task has finished, then returns a copy of its result (rethrows its
  // exception). Any number of coroutines may await one Future. On an rvalue Future the
  // result is moved out instead (for move-only T); other copies then see it moved-from.
  internal::FutureAwaiter<T, false> operator co_await() const& {
    return internal::FutureAwaiter<T, false>(*this);
  }
  internal::FutureAwaiter<T, true> operator co_await() && {
    return internal::FutureAwaiter<T, true>(std::move(*this));
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

}  // namespace coro

#endif  // COROUTINE_CORO_TASK_H_
