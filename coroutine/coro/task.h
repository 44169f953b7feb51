// coroutine/coro/task.h — Task<T>: a lazy coroutine that produces one T.
//
// Python's `async def f()` returns a coroutine object, which runs when awaited, or when
// asyncio.create_task() wraps it in a Task that the event loop drives. Here:
//
//   Task<int> Answer() { co_await coro::Sleep(1s); co_return 42; }   // a coroutine
//   int a = co_await Answer();                   // run it here, to the end (no loop trip)
//   Future<int> f = coro::CreateTask(Answer());  // the loop runs it concurrently (future.h)
//
// Task<T> contract:
// - Lazy: calling the function allocates the frame (frame_arena.h) and runs nothing.
// - Owns its frame: destroying the Task destroys the frame and the body's live locals.
// - Single-shot: `co_await task` starts it and resumes the awaiting coroutine when the
//   body finishes, returning its co_return value or rethrowing its exception.
// - Awaiting a Task runs it as part of the awaiting task (asyncio: `await coro()` runs in
//   the same Task). Only a task the loop runs (CreateTask) can be cancelled, and a
//   CancelledError is raised where that task is suspended, however deep.
//
// This header also holds what the event loop keeps in every frame (PromiseBase): the
// loop's bookkeeping for the tasks it runs. Every byte here is paid a million times by a
// million sleeping coroutines (//coroutine:scale), which is why it is laid out by hand.
//
// Single-threaded: Tasks belong to the thread of their EventLoop (see event_loop.h).
#ifndef COROUTINE_CORO_TASK_H_
#define COROUTINE_CORO_TASK_H_

#include <cassert>
#include <coroutine>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

namespace coro {

class EventLoop;
template <typename T = void>
class Task;

// Asking a Future for a result it does not have (asyncio.InvalidStateError).
class InvalidStateError : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

// Raised inside a cancelled task, at the point where it is suspended (asyncio's
// CancelledError). Deliberately not a std::exception, as CancelledError is a
// BaseException since Python 3.8: `catch (const std::exception&)` must not swallow a
// cancellation by accident. Catch it by name to clean up, then rethrow (`throw;`).
class CancelledError {
 public:
  const char* what() const noexcept { return "the task was cancelled"; }
};

// For measurement (the scale lesson and loop_benchmark): the size in bytes the compiler
// asked for when it allocated the most recent Task coroutine frame on this thread.
std::size_t LastTaskFrameSize();

namespace internal {

// ---------------------------------------------------------------------------------------
// Symmetric transfer, and the rule for anyone who writes an awaiter here.
//
// `co_await task` hands control straight to the child, and the child's end hands it
// straight back; neither may nest a call on the C++ stack, or a chain of a million awaits
// would overflow it. C++20's way is "await_suspend returns the coroutine_handle to run
// next", which is only safe if the compiler turns that resume into a tail call: g++ 12
// does at -O2, but not at -O0 nor under ASan/TSan (measured: a chain of 1M overflows the
// stack). So this library never returns a handle from await_suspend. An awaiter that
// wants to pass control to another coroutine calls TransferTo(next) and returns void;
// the loop resumes every coroutine through Resume(), a trampoline that runs `next` once
// the current coroutine has suspended. Same control flow, a flat stack in every build.
//
// RULE: in this library, await_suspend returns void or bool, never a coroutine_handle,
// and never calls handle.resume() itself: use TransferTo, or EventLoop::Wake.
// ---------------------------------------------------------------------------------------

// The coroutine to resume once the running one has suspended. One per thread.
inline thread_local std::coroutine_handle<> next_to_resume = nullptr;

// Called from an await_suspend: "when I have suspended, resume `next`".
inline void TransferTo(std::coroutine_handle<> next) noexcept {
  assert(next_to_resume == nullptr && "two transfers from one suspension");
  next_to_resume = next;
}

// Resumes `h`, then whichever coroutine control was transferred to, and so on, until a
// coroutine suspends without handing control on.
inline void Resume(std::coroutine_handle<> h) {
  while (h) {
    h.resume();
    h = std::exchange(next_to_resume, nullptr);
  }
}

class PromiseBase;

// What a task suspended in the loop waits on: a Future, a lock, a queue, a socket.
// When the task is cancelled, the loop asks it to let go.
class Awaited {
 public:
  // The task waiting here was cancelled. Returns true if it stops waiting (it leaves the
  // queue or drops its registration; the loop then wakes it and its co_await raises
  // CancelledError), false if the cancellation was passed on to what it waits for (an
  // awaited task, which will wake it when it ends: asyncio does the same).
  virtual bool Cancel(PromiseBase& task) noexcept = 0;
  // For traces: what the task waits for ("Task-3", "lock", "queue get").
  virtual std::string Describe() const = 0;
  // For traces: true if this is a wait for I/O (a file descriptor).
  virtual bool ForIo() const { return false; }

 protected:
  ~Awaited() = default;
};

// Told when a task finishes (a Future's awaiter, Gather, a TaskGroup).
class Waiter {
 public:
  virtual void OnTaskDone(PromiseBase& task) noexcept = 0;

 protected:
  ~Waiter() = default;
};

// One Waiter waiting on one task: a task's waiters are a list of these. The node belongs
// to the waiter (a Gather has one per task), so registering allocates nothing.
struct WaitNode {
  Waiter* waiter = nullptr;
  WaitNode* next = nullptr;
};

// A node of an intrusive circular list (the loop's list of unfinished tasks, a lock's
// queue). A node in no list points at itself.
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

// Facts few tasks have, kept outside the frame in a side table (task.cc) so that the
// million tasks without them pay nothing: a name given to CreateTask, and the task's
// track when the run is traced.
struct TaskInfo {
  std::string name;
  std::uint64_t trace_id = 0;  // 0: not traced
  std::string wait_span;       // the open span on its track (sleeping, waiting)
  const char* wait_state = nullptr;  // its state (trace::kSleep ...); nullptr: none open
  std::uint64_t flow_in = 0;   // an arrow from whoever woke it, to end at its next step
};
// The task's entry, created if missing. Erased when the frame is destroyed.
TaskInfo& TaskInfoOf(PromiseBase& task);
// The task's entry, or nullptr.
const TaskInfo* FindTaskInfo(const PromiseBase& task);

// Starts a Task lazily. A task the loop cancelled before its first step never runs its
// body: the loop sets cancel_on_start for that one resumption, and the CancelledError
// thrown here ends the task at once (C++20 hands it to unhandled_exception).
inline thread_local bool cancel_on_start = false;
struct InitialAwaiter {
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<>) const noexcept {}
  void await_resume() const {
    if (std::exchange(cancel_on_start, false)) throw CancelledError();
  }
};

// Ends a Task: hands control back to the coroutine that awaited it (symmetric transfer).
// A task the loop runs has no continuation: control returns to the loop, which sees the
// frame done and tells its waiters.
struct FinalAwaiter {
  bool await_ready() const noexcept { return false; }
  template <typename Promise>
  void await_suspend(std::coroutine_handle<Promise> self) const noexcept {
    if (self.promise().continuation_) TransferTo(self.promise().continuation_);
  }
  void await_resume() const noexcept {}
};

// Whether `error` holds a CancelledError (false if it holds nothing): how a task, a
// Timeout or a TaskGroup tells a cancellation from a failure.
bool IsCancelledError(const std::exception_ptr& error) noexcept;

// What every Task frame holds besides its result: 64 bytes (checked below).
class PromiseBase : public ListNode {
 public:
  // Where a task the loop runs stands. (A task awaited directly stays kCreated: it runs
  // as part of the task that awaits it.)
  enum class State : std::uint8_t {
    kCreated,   // not handed to the loop (or not yet started by it)
    kReady,     // in the loop's ready queue
    kRunning,   // the loop is running it now
    kSleeping,  // in Sleep: a timer will wake it
    kWaiting,   // waiting on an Awaited (or on an awaiter the loop does not know)
    kFinished,  // its body has ended; the loop has told its waiters
  };

  PromiseBase() = default;
  PromiseBase(const PromiseBase&) = delete;
  PromiseBase& operator=(const PromiseBase&) = delete;
  // Reports a task the loop ran whose exception nobody retrieved (task.cc).
  ~PromiseBase();

  // Frames are allocated from the frame arena (frame_arena.h), which also records their
  // size for LastTaskFrameSize(). Defined in task.cc.
  static void* operator new(std::size_t bytes);
  static void operator delete(void* frame, std::size_t bytes) noexcept;

  InitialAwaiter initial_suspend() const noexcept { return {}; }
  FinalAwaiter final_suspend() const noexcept { return {}; }
  void unhandled_exception() noexcept { exception_ = std::current_exception(); }

  // The frame this promise lives in. Every Promise<T> starts with its PromiseBase and
  // is at most max_align_t-aligned (checked in get_return_object), so the frame found
  // from the base is the frame of the whole promise.
  std::coroutine_handle<> frame() noexcept {
    return std::coroutine_handle<PromiseBase>::from_promise(*this);
  }
  bool done() noexcept { return frame().done(); }

  // How the body ended (once done()): an exception, a CancelledError, or a value.
  const std::exception_ptr& exception() const noexcept { return exception_; }
  bool cancelled() const noexcept;
  // Reading the outcome marks it retrieved: no "never retrieved" warning then.
  void MarkRetrieved() noexcept { exception_retrieved_ = true; }

  State state() const noexcept { return state_; }
  bool spawned() const noexcept { return spawned_; }
  bool abandoned() const noexcept { return abandoned_; }
  // asyncio's Task.cancelling() and uncancel(): cancellation requests not yet withdrawn.
  int cancelling() const noexcept { return cancel_requests_; }
  int Uncancel() noexcept {
    if (cancel_requests_ > 0) --cancel_requests_;
    return cancel_requests_;
  }

  // In an awaiter's await_resume: raises CancelledError if the task was cancelled while
  // suspended here (once: the request is then delivered).
  void ThrowIfCancelled() {
    if (must_cancel_) {
      must_cancel_ = false;
      throw CancelledError();
    }
  }

  // The task's waiters (a Future's awaiter, Gather, a TaskGroup).
  void AddWaiter(WaitNode& node) noexcept;
  void RemoveWaiter(WaitNode& node) noexcept;

  // A reference from a Future (or the loop, or a timer). The last one destroys the frame.
  void AddRef() noexcept { ++refs_; }
  void Release() noexcept {
    assert(refs_ > 0);
    if (--refs_ == 0) frame().destroy();
  }

  // Throws InvalidStateError naming `what` unless the body has ended.
  void RequireDone(const char* what);

 private:
  friend class coro::EventLoop;
  friend struct FinalAwaiter;
  friend TaskInfo& TaskInfoOf(PromiseBase& task);
  friend const TaskInfo* FindTaskInfo(const PromiseBase& task);
  template <typename T>
  friend struct TaskAwaiter;

  // --- Every frame ---
  std::coroutine_handle<> continuation_ = nullptr;  // co_await task: who to go back to
  std::exception_ptr exception_;                    // how the body failed, if it did
  // --- A task the loop runs (CreateTask); the ListNode base is its place in the loop's
  //     list of unfinished tasks ---
  std::coroutine_handle<> resume_at_ = nullptr;  // suspended: the (innermost) frame to resume
  // While suspended, how the task gets out of it; state_ says which member is in use
  // (a union because a million sleepers would pay 8 more bytes each for both):
  //   kSleeping: the deadline its timer was set for. A sleep that was cancelled leaves
  //              its timer in the queue; when it comes out, its deadline no longer
  //              matches this one, and the loop ignores it.
  //   kWaiting:  what it waits on (nullptr: an awaiter the loop does not know, which
  //              cannot be cancelled).
  union {
    std::int64_t wake_at_ns_;
    Awaited* waiting_on_ = nullptr;
  };
  WaitNode* waiters_ = nullptr;  // told when it finishes, in the order they registered
  std::uint32_t refs_ = 0;       // the loop's while it runs, a Future's, a timer's
  State state_ = State::kCreated;
  std::uint8_t cancel_requests_ = 0;     // asyncio's cancelling() count
  bool spawned_ : 1 = false;             // handed to a loop by CreateTask
  bool started_ : 1 = false;             // the loop has run its first step
  bool must_cancel_ : 1 = false;         // raise CancelledError at the next resumption
  bool exception_retrieved_ : 1 = false;
  bool abandoned_ : 1 = false;           // its loop was closed before it finished
  bool has_info_ : 1 = false;            // has a name or a trace id (event_loop.cc)
};

template <typename T>
class Promise final : public PromiseBase {
 public:
  Task<T> get_return_object() noexcept;
  void return_value(T value) { value_.emplace(std::move(value)); }

  // The value, or the body's exception rethrown. Requires a finished body.
  T& Value() {
    if (exception()) std::rethrow_exception(exception());
    return *value_;
  }

 private:
  std::optional<T> value_;
};

template <>
class Promise<void> final : public PromiseBase {
 public:
  Task<void> get_return_object() noexcept;
  void return_void() noexcept {}
  void Value() {
    if (exception()) std::rethrow_exception(exception());
  }
};

// `co_await task`: start the child by symmetric transfer; its end transfers back.
template <typename T>
struct TaskAwaiter {
  std::coroutine_handle<Promise<T>> child;

  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> awaiting) const noexcept {
    child.promise().continuation_ = awaiting;
    TransferTo(child);
  }
  T await_resume() const {
    child.promise().MarkRetrieved();
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

static_assert(sizeof(PromiseBase) == 64,
              "PromiseBase grew: a million sleeping coroutines pay for every byte "
              "(//coroutine:scale); update the lesson's figures if this is intended");

template <typename T>
Task<T> Promise<T>::get_return_object() noexcept {
  static_assert(alignof(Promise<T>) <= alignof(std::max_align_t),
                "PromiseBase::frame() assumes the promise is at most max_align_t aligned");
  return Task<T>(std::coroutine_handle<Promise<T>>::from_promise(*this));
}
inline Task<void> Promise<void>::get_return_object() noexcept {
  return Task<void>(std::coroutine_handle<Promise<void>>::from_promise(*this));
}

}  // namespace internal
}  // namespace coro

#endif  // COROUTINE_CORO_TASK_H_
