// coroutine/coro/event_loop.h — an asyncio-style event loop for C++20 coroutines.
//
// Written here on purpose, to show how an event loop works: this is the lesson of the
// tutorial's asyncio section, so it is small enough to read in one sitting. In production
// one would use a maintained library instead: Boost.Asio / standalone Asio (with C++20
// coroutines), libunifex or stdexec (P2300 senders/receivers), folly::coro, or cppcoro.
//
// The model is asyncio's. An EventLoop has
//   - a ready queue of coroutines to resume (asyncio's call_soon),
//   - timers, in a TimerQueue (call_at; what Sleep() uses),
//   - file-descriptor readiness through epoll (add_reader / add_writer),
// and each iteration (RunOnce) waits for I/O only if nothing is ready, runs what is ready,
// then resumes the timers that are due. A coroutine runs until it co_awaits something that
// is not ready, which suspends it and returns control to the loop: cooperative
// multitasking on one thread.
//
//   coro::Task<void> Hello() {
//     lesson::Print("Hello world!");
//     co_await coro::Sleep(std::chrono::seconds(1));
//     lesson::Print("Hello again!");
//   }
//   coro::EventLoop loop;                      // asyncio.get_event_loop()
//   loop.RunUntilComplete(Hello());            // loop.run_until_complete(hello())
//   loop.Close();                              // loop.close()
//   // or, in one call: coro::Run(Hello());    // asyncio.run(hello())
//
// SINGLE-THREADED BY DESIGN. A loop, and the Tasks, Futures and AsyncMutexes used with it,
// belong to the thread that created the loop: nothing here is synchronised, which is what
// keeps a coroutine as cheap as ~100 bytes. In debug builds (NDEBUG not defined) every
// EventLoop entry point checks the calling thread and aborts with a message naming both
// threads. To use several cores, run one loop per thread or per process (the efficiency
// chapter's processes_and_coroutines).
//
// Ownership and closing:
// - CreateTask() hands a Task to the loop and returns a Future. The loop keeps the task
//   alive until it finishes; Futures keep its frame (and result) alive after that.
// - Close() destroys the frames of tasks that have not finished, newest first (as
//   destructors run in reverse order of construction), running the destructors of their
//   live locals; nothing is resumed. (asyncio.run instead throws CancelledError into them;
//   in C++ the destructors are the cleanup.) A task that a Future still refers to is kept,
//   finished() == false, and freed with the last Future: its Result() throws
//   InvalidStateError. Close() is idempotent; the destructor calls it.
// - The loop's clock is injectable (clock.h): tests use a VirtualClock, which jumps to the
//   next timer instead of waiting, so they are instant and exact.
#ifndef COROUTINE_CORO_EVENT_LOOP_H_
#define COROUTINE_CORO_EVENT_LOOP_H_

#include <coroutine>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <stdexcept>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include "coroutine/coro/clock.h"
#include "coroutine/coro/task.h"
#include "coroutine/coro/timer_queue.h"

namespace coro {

// RunUntilComplete() found that its task can never finish: nothing is ready, no timer is
// set and no file descriptor is watched (e.g. it awaits a lock nobody will release). A
// real asyncio program would hang here; this loop says so instead.
class DeadlockError : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

class EventLoop {
 public:
  // An EventLoop on std::chrono::steady_clock.
  EventLoop();
  // An EventLoop on `clock`, which must outlive it (tests pass a VirtualClock).
  explicit EventLoop(Clock& clock);
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;
  // Close()s the loop.
  ~EventLoop();

  // EventLoop::Current()
  //
  // This thread's loop (asyncio.get_event_loop()): the one running or closing, else the
  // first one created on this thread that is still alive; nullptr if none. The free
  // functions below (Sleep, CreateTask, Gather, ...) act on it.
  static EventLoop* Current();

  // EventLoop::CreateTask()
  //
  // asyncio's loop.create_task(): hands `task` to the loop, which starts it on its next
  // iteration, and returns a Future for its result. Throws std::logic_error if the loop is
  // closed. Precondition: task.valid().
  template <typename T>
  Future<T> CreateTask(Task<T> task);

  // EventLoop::RunUntilComplete()
  //
  // asyncio's loop.run_until_complete(): runs the loop until the task (wrapped with
  // CreateTask) or the future has finished, then returns its result or rethrows its
  // exception. Other tasks run meanwhile and may still be unfinished afterwards.
  // Throws DeadlockError if the task can never finish, std::logic_error if the loop is
  // closed or already running (it is not reentrant: inside a coroutine, co_await instead).
  template <typename T>
  T RunUntilComplete(Task<T> task);
  template <typename T>
  T RunUntilComplete(const Future<T>& future);

  // EventLoop::Close()
  //
  // Drops every scheduled resumption, timer and fd watch, then destroys unfinished tasks as
  // described above. Returns how many tasks were unfinished. Throws std::logic_error if
  // called while the loop is running.
  std::size_t Close();

  bool is_closed() const { return closed_; }
  bool is_running() const { return running_; }

  // The loop's clock, and its time now.
  Clock& clock() const { return clock_; }
  TimePoint Now() const { return clock_.Now(); }

  // Tasks created and not yet finished (walks a list: O(n), for tests and diagnostics).
  std::size_t CountUnfinishedTasks() const;

  // ----- What awaitables use (asyncio's call_soon, call_at, add_reader/add_writer) -----

  // Resumes `coroutine` on a later iteration, after those scheduled before it. Ignored
  // while the loop is closing (the coroutine is being destroyed or will never run).
  void Schedule(std::coroutine_handle<> coroutine);

  // Resumes `coroutine` on the first iteration at or after `deadline`. Timers with equal
  // deadlines fire in the order they were set.
  void ScheduleAt(TimePoint deadline, std::coroutine_handle<> coroutine);

  enum class Readiness : std::uint8_t { kReadable, kWritable };

  // Resumes `coroutine` once `fd` is readable / writable (or has an error or hang-up).
  // At most one coroutine waits per fd and direction. Throws std::system_error if epoll
  // refuses the fd (e.g. a regular file). The fd must stay open while watched.
  void WatchFd(int fd, Readiness readiness, std::coroutine_handle<> coroutine);

  // Aborts (debug builds only) unless called on the loop's thread.
  void CheckThread(const char* what) const {
#ifndef NDEBUG
    if (std::this_thread::get_id() != owner_) WrongThread(what);
#else
    (void)what;
#endif
  }

 private:
  struct FdWatch {
    std::coroutine_handle<> reader = nullptr;
    std::coroutine_handle<> writer = nullptr;
    std::uint32_t registered = 0;  // the epoll events the kernel has for this fd
  };
  // Sets current_loop to this loop for a scope, and back.
  class CurrentScope;

  // One iteration. Returns false, doing nothing, if nothing can ever happen again.
  bool RunOnce();
  void PollIo(Duration timeout);  // timeout < 0: wait without limit
  void UpdateInterest(int fd, FdWatch& watch);
  void RunUntilFinished(internal::PromiseBase& task);
  void CheckOpen(const char* what) const;
  [[noreturn]] void WrongThread(const char* what) const;

  Clock& clock_;
  const std::thread::id owner_;
  int epoll_fd_ = -1;
  bool running_ = false;
  bool closing_ = false;
  bool closed_ = false;

  std::deque<std::coroutine_handle<>> ready_;
  TimerQueue timers_;
  std::vector<FdWatch> fd_watches_;  // indexed by fd
  std::size_t watched_fds_ = 0;      // reader/writer slots in use

  internal::ListNode unfinished_;  // tasks created and not finished, oldest first
  internal::ListNode abandoned_;   // unfinished at Close() but still held by a Future
};

// ---------------------------------------------------------------------------------------
// asyncio's module-level functions. They act on EventLoop::Current() and abort with a
// message if this thread has none.
// ---------------------------------------------------------------------------------------

// co_await Sleep(d): asyncio.sleep(d). Suspends the calling coroutine for `d` of the
// loop's clock. Sleep(0) (or negative) just yields: the coroutine goes to the back of the
// ready queue, letting every other ready coroutine run first.
class [[nodiscard]] SleepAwaiter {
 public:
  explicit SleepAwaiter(Duration duration) : duration_(duration) {}
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> coroutine) const;
  void await_resume() const noexcept {}

 private:
  Duration duration_;
};
inline SleepAwaiter Sleep(Duration duration) { return SleepAwaiter(duration); }

// co_await Readable(fd) / Writable(fd): suspends until the fd is ready (see WatchFd).
class [[nodiscard]] FdAwaiter {
 public:
  FdAwaiter(int fd, EventLoop::Readiness readiness) : fd_(fd), readiness_(readiness) {}
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> coroutine) const;
  void await_resume() const noexcept {}

 private:
  int fd_;
  EventLoop::Readiness readiness_;
};
inline FdAwaiter Readable(int fd) { return FdAwaiter(fd, EventLoop::Readiness::kReadable); }
inline FdAwaiter Writable(int fd) { return FdAwaiter(fd, EventLoop::Readiness::kWritable); }

// This thread's loop; aborts naming `caller` if there is none.
EventLoop& CurrentLoop(const char* caller);

// asyncio.create_task(coro): CurrentLoop().CreateTask(task).
template <typename T>
Future<T> CreateTask(Task<T> task) {
  return CurrentLoop("coro::CreateTask").CreateTask(std::move(task));
}

// asyncio.ensure_future(x): a Task is handed to the loop (as CreateTask does); a Future is
// returned as it is (the same task: `EnsureFuture(f) == f`).
template <typename T>
Future<T> EnsureFuture(Task<T> task) {
  return CurrentLoop("coro::EnsureFuture").CreateTask(std::move(task));
}
template <typename T>
Future<T> EnsureFuture(Future<T> future) {
  return future;
}

// asyncio.run(main): runs `main` on a new EventLoop (on `clock`, default real time), closes
// the loop (destroying any task left unfinished) and returns main's result or rethrows
// its exception.
template <typename T>
T Run(Task<T> main, Clock& clock = RealClock::Instance()) {
  EventLoop loop(clock);
  if constexpr (std::is_void_v<T>) {
    loop.RunUntilComplete(std::move(main));
    loop.Close();
  } else {
    T result = loop.RunUntilComplete(std::move(main));
    loop.Close();
    return result;
  }
}

// ----- Implementation of the templates -----

template <typename T>
Future<T> EventLoop::CreateTask(Task<T> task) {
  CheckThread("EventLoop::CreateTask");
  CheckOpen("EventLoop::CreateTask");
  typename Task<T>::Handle handle = task.Release();
  internal::PromiseBase& promise = handle.promise();
  promise.MarkSpawned();
  promise.AddRef();  // the loop's, until the task finishes
  promise.AddRef();  // the Future's
  promise.InsertBefore(unfinished_);
  ready_.push_back(handle);
  return Future<T>(handle);
}

template <typename T>
T EventLoop::RunUntilComplete(Task<T> task) {
  Future<T> future = CreateTask(std::move(task));
  RunUntilFinished(future.promise());
  if constexpr (std::is_void_v<T>) {
    future.Result();
  } else {
    return std::move(future.Result());  // only we hold the task: move the value out
  }
}

template <typename T>
T EventLoop::RunUntilComplete(const Future<T>& future) {
  RunUntilFinished(future.promise());
  return future.Result();
}

}  // namespace coro

#endif  // COROUTINE_CORO_EVENT_LOOP_H_
