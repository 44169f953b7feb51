// coroutine/coro/event_loop.h — an asyncio-style event loop for C++20 coroutines.
//
// Written here on purpose, to show how an event loop works: this is the lesson of the
// tutorial's asyncio section, so it is small enough to read in one sitting (the reading
// order is in coroutine/README.md: clock, timer queue, one iteration here, task, gather).
// In production one would use a maintained library instead: Boost.Asio / standalone
// Asio (with C++20 coroutines), libunifex or stdexec (P2300 senders/receivers),
// folly::coro.
//
// The model is asyncio's. An EventLoop has
//   - a ready queue of tasks to resume (asyncio's call_soon),
//   - timers, in a TimerQueue (call_at; what Sleep() uses),
//   - file-descriptor readiness through epoll (add_reader / add_writer),
// and each iteration (RunOnce) waits for I/O only if nothing is ready, resumes the ready
// tasks, then the tasks whose timers are due. A task runs until it co_awaits something
// that is not ready, which suspends it and returns control to the loop: cooperative
// multitasking on one thread.
//
//   coro::Task<void> Hello() {
//     lesson::Print("Hello world!");
//     co_await coro::Sleep(std::chrono::seconds(1));
//     lesson::Print("Hello again!");
//   }
//   coro::EventLoop loop;                      // asyncio.new_event_loop()
//   loop.RunUntilComplete(Hello());            // loop.run_until_complete(hello())
//   loop.Close();                              // loop.close()
//   // or, in one call: coro::Run(Hello());    // asyncio.run(hello())
//
// SINGLE-THREADED BY DESIGN. A loop, and the Tasks, Futures, locks and queues used with
// it, belong to the thread that created the loop: nothing here is synchronised, which is
// what keeps a sleeping coroutine near a hundred bytes. In debug builds (NDEBUG not
// defined) the loop's public entry points check the calling thread and abort with a
// message naming both threads. To use several cores, run one loop per thread or per
// process (the efficiency chapter's processes_and_coroutines).
//
// Tasks and cancellation:
// - CreateTask() hands a Task to the loop and returns a Future (future.h). The loop keeps
//   the task alive until it finishes; Futures keep its frame (and result) after that.
// - Cancel (Future::Cancel) raises CancelledError in the task where it is suspended, on
//   the loop's next iteration; if it is running, at its next suspension. Its destructors
//   and catch blocks run; it may catch the error and clean up.
// - RunUntilComplete() returns one iteration after its task finished, as asyncio's does,
//   so a task created just before the end gets its first step.
// - Close() destroys the frames of tasks that have not finished, newest first, running
//   the destructors of their live locals; nothing is resumed (asyncio's loop.close()
//   leaves them pending and the garbage collector complains "Task was destroyed but it
//   is pending!"). A task still held by a Future is kept, never finished: its Result()
//   throws InvalidStateError. Close() is idempotent; the destructor calls it.
// - Run() (asyncio.run) instead cancels the tasks main left running, waits for them to
//   end, and only then closes the loop.
//
// Writing an awaiter for this loop (asyncio's "await a future"):
//   await_suspend(h): register where you will be woken (a queue, a task's waiters), then
//     call loop.Suspend(h, this) with `this` an internal::Awaited, whose Cancel() takes
//     you out again; for a plain delay call loop.Sleep(h, d).
//   The waker calls loop.Wake(task). await_resume: task.ThrowIfCancelled() first.
//   Never resume a handle yourself, never return one from await_suspend (task.h says why).
//
// The clock is injectable (clock.h): tests use a VirtualClock, which jumps to the next
// timer instead of waiting, so they are instant and exact.
#ifndef COROUTINE_CORO_EVENT_LOOP_H_
#define COROUTINE_CORO_EVENT_LOOP_H_

#include <coroutine>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <stdexcept>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include "coroutine/coro/clock.h"
#include "coroutine/coro/future.h"
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

  // EventLoop::Running()
  //
  // The loop running on this thread (asyncio._get_running_loop()), or nullptr.
  static EventLoop* Running();

  // EventLoop::CreateTask()
  //
  // asyncio's loop.create_task(): hands `task` to the loop, which starts it on its next
  // iteration, and returns a Future for its result. A name shows in traces and in the
  // "never retrieved" warning. Throws std::logic_error if the loop is closed.
  // Precondition: task.valid().
  template <typename T>
  Future<T> CreateTask(Task<T> task, std::string name = "");

  // EventLoop::RunUntilComplete()
  //
  // asyncio's loop.run_until_complete(): runs the loop until the task (wrapped with
  // CreateTask) or the future has finished, runs one more iteration (as asyncio stops
  // one iteration later), then returns its result or rethrows its exception. Other
  // tasks run meanwhile and may still be unfinished afterwards. Throws DeadlockError if
  // the task can never finish, std::logic_error if the loop is closed or already running
  // (it is not reentrant: inside a coroutine, co_await instead); a refused task is
  // destroyed without running.
  template <typename T>
  T RunUntilComplete(Task<T> task);
  template <typename T>
  T RunUntilComplete(const Future<T>& future);

  // EventLoop::Close()
  //
  // Drops every scheduled resumption, timer and fd watch, then destroys unfinished tasks
  // as described above. Returns how many tasks were unfinished. Throws std::logic_error
  // if called while the loop is running.
  std::size_t Close();

  // EventLoop::Shutdown()
  //
  // What asyncio.run does before it closes its loop: cancels every unfinished task, runs
  // the loop until they have all ended, reports on standard error any that ended with an
  // exception other than CancelledError ("unhandled exception during shutdown"), then
  // Close()s. Returns how many tasks it cancelled.
  std::size_t Shutdown();

  bool is_closed() const { return closed_; }
  bool is_running() const { return running_; }

  // The loop's clock, and its time now.
  Clock& clock() const { return clock_; }
  TimePoint Now() const { return clock_.Now(); }

  // Tasks created and not yet finished (walks a list: O(n), for tests and diagnostics).
  std::size_t CountUnfinishedTasks() const;

  // ----- What awaitables use (asyncio's futures, call_soon, call_at, add_reader) -----

  // The task the loop is running now. Precondition: called from inside a task.
  internal::PromiseBase& current_task() const;

  // Suspends the current task at `at` until Wake(); `on` is what it waits on, asked to
  // let go if the task is cancelled (nullptr: it cannot be). If the task was cancelled
  // while it ran, the cancellation applies now.
  void Suspend(std::coroutine_handle<> at, internal::Awaited* on);

  // Suspends the current task at `at` for `duration` of the loop's clock; zero or less
  // just yields (the task goes to the back of the ready queue).
  void Sleep(std::coroutine_handle<> at, Duration duration);

  // Moves a suspended task to the ready queue: it resumes on a later iteration, after
  // the tasks scheduled before it. Ignored while the loop is closing.
  void Wake(internal::PromiseBase& task);

  // Resumes a suspended task now. Only for a waiter told that the task it awaits has
  // ended (asyncio's Task.__wakeup steps the task from the done callback itself).
  void RunNow(internal::PromiseBase& task);

  // asyncio's Task.cancel(): see the contract above and in future.h. Returns false if
  // the task has already finished.
  bool Cancel(internal::PromiseBase& task);

  enum class Readiness : std::uint8_t { kReadable, kWritable };

  // Makes the current task the one woken when `fd` is readable / writable (or has an
  // error or hang-up). At most one task waits per fd and direction. Throws
  // std::system_error if epoll refuses the fd (e.g. a regular file). The fd must stay
  // open while watched. Used by FdAwaiter, which then suspends.
  void WatchFd(int fd, Readiness readiness);
  // Forgets the watch (a cancelled wait).
  void UnwatchFd(int fd, Readiness readiness);

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
    internal::PromiseBase* reader = nullptr;
    internal::PromiseBase* writer = nullptr;
    std::uint32_t registered = 0;  // the epoll events the kernel has for this fd
  };
  // Sets the thread's current loop for a scope, and back. With running, also its running
  // loop, and marks this loop running (is_running()) until the scope ends.
  class CurrentScope;

  // Takes a task created by CreateTask: counts references, lists it, schedules it.
  void Adopt(internal::PromiseBase& task, std::string name);
  // Refuses to run (closed, running, wrong thread): throws before anything is adopted.
  void CheckCanRun(const char* what) const;
  // Runs until `task` is done, then one more iteration. Throws DeadlockError.
  void RunUntilDone(internal::PromiseBase& task);
  // One iteration. Returns false, doing nothing, if nothing can ever happen again.
  // With may_block false it never waits (nor moves a virtual clock).
  bool RunOnce(bool may_block);
  // Resumes `task` until it suspends or ends.
  void Step(internal::PromiseBase& task);
  // The task's body has ended: its waiters are told on the next iteration.
  void Finish(internal::PromiseBase& task);
  // Tells a finished task's waiters, then drops the loop's reference.
  void NotifyWaiters(internal::PromiseBase& task);
  void PollIo(Duration timeout);  // timeout < 0: wait without limit
  void UpdateInterest(int fd, FdWatch& watch);
  void CheckOpen(const char* what) const;
  [[noreturn]] void WrongThread(const char* what) const;

  // Traces (common/trace.h), recorded only when the run is traced.
  void TraceWaitBegin(internal::PromiseBase& task, std::string what, const char* state);
  void TraceWaitEnd(internal::PromiseBase& task);
  // An arrow from the task that wakes `wakee` (running, or telling its waiters it ended).
  void TraceWakeArrow(internal::PromiseBase& wakee);

  Clock& clock_;
  const std::thread::id owner_;
  int epoll_fd_ = -1;
  bool running_ = false;
  bool closing_ = false;
  bool closed_ = false;
  const bool tracing_;               // trace::Enabled() when the loop was made
  std::uint64_t tasks_created_ = 0;  // names traced tasks Task-1, Task-2, ... as asyncio

  internal::PromiseBase* current_ = nullptr;      // the task being resumed
  internal::PromiseBase* notifying_ = nullptr;    // the ended task whose waiters are told
  std::deque<internal::PromiseBase*> ready_;      // tasks to resume (or, if finished,
                                                  // whose waiters to tell), in order
  TimerQueue<internal::PromiseBase*> timers_;     // sleeping tasks (each holds a reference)
  std::vector<FdWatch> fd_watches_;               // indexed by fd
  std::size_t watched_fds_ = 0;                   // reader/writer slots in use

  internal::ListNode unfinished_;  // tasks created and not finished, oldest first
  internal::ListNode abandoned_;   // unfinished at Close() but still held by a Future
};

// ---------------------------------------------------------------------------------------
// asyncio's module-level functions. They act on EventLoop::Current() (Sleep and the
// awaiters on the running loop) and abort with a message if this thread has none.
// ---------------------------------------------------------------------------------------

// co_await Sleep(d): asyncio.sleep(d). Suspends the calling task for `d` of the loop's
// clock. Sleep(0) (or negative) just yields: the task goes to the back of the ready
// queue, letting every other ready task run first. A cancellation point.
//
// Bytes: g++ keeps every temporary of a co_await expression in the coroutine's frame, for
// its whole life. So the duration is taken by reference (Sleep(d) with a variable `d`
// adds no copy), and await_suspend is noexcept (a failed allocation of a timer ends the
// program): each saves a sleeping frame 8 bytes (measured with loop_benchmark).
class [[nodiscard]] SleepAwaiter {
 public:
  explicit SleepAwaiter(const Duration& duration) : duration_(duration) {}
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> at) const noexcept;
  void await_resume() const;

 private:
  Duration duration_;
};
inline SleepAwaiter Sleep(const Duration& duration) { return SleepAwaiter(duration); }

// co_await Readable(fd) / Writable(fd): suspends until the fd is ready (see WatchFd).
class [[nodiscard]] FdAwaiter final : public internal::Awaited {
 public:
  FdAwaiter(int fd, EventLoop::Readiness readiness) : fd_(fd), readiness_(readiness) {}
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> at);
  void await_resume() const;

  bool Cancel(internal::PromiseBase& task) noexcept override;
  std::string Describe() const override;
  bool ForIo() const override { return true; }

 private:
  int fd_;
  EventLoop::Readiness readiness_;
  internal::PromiseBase* task_ = nullptr;
};
inline FdAwaiter Readable(int fd) { return FdAwaiter(fd, EventLoop::Readiness::kReadable); }
inline FdAwaiter Writable(int fd) { return FdAwaiter(fd, EventLoop::Readiness::kWritable); }

// This thread's loop (EventLoop::Current()); aborts naming `caller` if there is none.
EventLoop& CurrentLoop(const char* caller);
// The loop running on this thread; aborts naming `caller` if none is running.
EventLoop& RunningLoop(const char* caller);

// asyncio.create_task(coro): CurrentLoop().CreateTask(task).
template <typename T>
Future<T> CreateTask(Task<T> task, std::string name = "") {
  return CurrentLoop("coro::CreateTask").CreateTask(std::move(task), std::move(name));
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

// asyncio.run(main): refuses to run inside a running loop (std::logic_error, where
// asyncio raises RuntimeError) and then never starts `main`; otherwise runs `main` on a
// new EventLoop (on `clock`, default real time) to the end, cancels the tasks it left
// running and waits for them (EventLoop::Shutdown), closes the loop, and returns main's
// result or rethrows its exception. What asyncio.run does besides, and this does not:
// shut down async generators (C++ has none) and the default thread-pool executor (there
// is none), install a Ctrl-C handler that cancels main, and offer debug mode.
template <typename T>
T Run(Task<T> main, Clock& clock = RealClock::Instance());

// ----- Implementation of the templates -----

template <typename T>
Future<T> EventLoop::CreateTask(Task<T> task, std::string name) {
  CheckThread("EventLoop::CreateTask");
  CheckOpen("EventLoop::CreateTask");
  typename Task<T>::Handle handle = task.Release();
  Adopt(handle.promise(), std::move(name));
  return Future<T>(handle);  // Adopt counted the Future's reference
}

template <typename T>
T EventLoop::RunUntilComplete(Task<T> task) {
  CheckCanRun("EventLoop::RunUntilComplete");  // before the task is handed over
  Future<T> future = CreateTask(std::move(task));
  RunUntilDone(future.promise());
  if constexpr (std::is_void_v<T>) {
    future.Result();
  } else {
    return std::move(future.Result());  // only we hold the task: move the value out
  }
}

template <typename T>
T EventLoop::RunUntilComplete(const Future<T>& future) {
  CheckCanRun("EventLoop::RunUntilComplete");
  RunUntilDone(future.promise());
  return future.Result();
}

template <typename T>
T Run(Task<T> main, Clock& clock) {
  if (EventLoop::Running() != nullptr) {
    throw std::logic_error(
        "coro::Run: cannot be called from a running event loop (inside a coroutine, "
        "co_await the task instead)");
  }
  EventLoop loop(clock);
  // Whatever happens to main, the tasks it left are cancelled and the loop closed.
  struct ShutDown {
    EventLoop& loop;
    ~ShutDown() { loop.Shutdown(); }
  } shut_down{loop};
  return loop.RunUntilComplete(std::move(main));
}

}  // namespace coro

#endif  // COROUTINE_CORO_EVENT_LOOP_H_
