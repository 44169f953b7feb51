// coroutine/coro/gather.h — waiting for many tasks at once: Gather (results) and Wait (sets).
//
// The tutorial's 方法详解 section contrasts asyncio.gather and asyncio.wait:
//
//   std::vector<int> r = co_await coro::Gather(std::move(tasks));   // results, in order
//   coro::WaitResult<int> w = co_await coro::Wait(std::move(futures),
//                                                 coro::ReturnWhen::kFirstCompleted);
//   // w.done, w.pending: Futures; read w.done[i].Result() yourself
//
// Gather contract (asyncio.gather, return_exceptions=False):
// - Tasks are handed to the loop (CreateTask) when the Gather starts, so they run
//   concurrently; Futures are used as they are.
// - Returns the results in the order of the arguments, whatever order they finished in
//   (Task<void> for void tasks).
// - If one fails, Gather rethrows the first exception to happen as soon as it happens. The
//   other tasks are not cancelled: they keep running on the loop (as in asyncio).
//
// Wait contract (asyncio.wait):
// - Returns when the condition holds: kFirstCompleted (at least one finished),
//   kFirstException (one failed, or all finished), kAllCompleted (all finished).
// - Never throws the tasks' exceptions: it partitions the Futures into `done` and
//   `pending`, each in argument order (asyncio returns unordered sets).
// - A task that finishes in the same loop iteration as the first one is already in `done`.
//
// Cost: no allocation per task beyond the result vector: the waiting coroutine registers
// one waiter object with every task, so gathering a million tasks is cheap.
#ifndef COROUTINE_CORO_GATHER_H_
#define COROUTINE_CORO_GATHER_H_

#include <coroutine>
#include <cstddef>
#include <exception>
#include <type_traits>
#include <utility>
#include <vector>

#include "coroutine/coro/event_loop.h"
#include "coroutine/coro/task.h"

namespace coro {

enum class ReturnWhen { kFirstCompleted, kFirstException, kAllCompleted };

template <typename T>
struct WaitResult {
  std::vector<Future<T>> done;
  std::vector<Future<T>> pending;
};

// What Gather returns: std::vector<T>, or nothing for void tasks.
template <typename T>
using GatherResult = std::conditional_t<std::is_void_v<T>, void, std::vector<T>>;

namespace internal {

// Suspends until `when` holds for `futures`; returns the promise of the first task that
// failed (in the order failures happened), or nullptr.
template <typename T>
class WhenAwaiter final : public Waiter {
 public:
  WhenAwaiter(const std::vector<Future<T>>& futures, ReturnWhen when)
      : futures_(futures), when_(when) {}
  WhenAwaiter(const WhenAwaiter&) = delete;
  WhenAwaiter& operator=(const WhenAwaiter&) = delete;
  ~WhenAwaiter() { Unregister(); }

  bool await_ready() {
    for (const Future<T>& f : futures_) {
      if (!f.done()) {
        ++unfinished_;
      } else if (first_failure_ == nullptr && f.promise().failed()) {
        first_failure_ = &f.promise();
      }
    }
    finished_any_ = unfinished_ < futures_.size();
    return Satisfied();
  }
  void await_suspend(std::coroutine_handle<> awaiting) {
    awaiting_ = awaiting;
    for (const Future<T>& f : futures_) {
      if (!f.done()) f.promise().AddWaiter(this);
    }
    registered_ = true;
  }
  PromiseBase* await_resume() {
    Unregister();
    return first_failure_;
  }

  void OnTaskDone(PromiseBase& task) noexcept override {
    --unfinished_;
    finished_any_ = true;
    if (first_failure_ == nullptr && task.failed()) first_failure_ = &task;
    if (!woken_ && Satisfied()) {
      woken_ = true;
      ScheduleOnRunningLoop(awaiting_);
    }
  }

 private:
  bool Satisfied() const {
    switch (when_) {
      case ReturnWhen::kFirstCompleted:
        return futures_.empty() || finished_any_;
      case ReturnWhen::kFirstException:
        return unfinished_ == 0 || first_failure_ != nullptr;
      case ReturnWhen::kAllCompleted:
        return unfinished_ == 0;
    }
    return true;
  }
  // Finished tasks have already dropped their waiters; unfinished ones must forget us.
  void Unregister() noexcept {
    if (!std::exchange(registered_, false)) return;
    for (const Future<T>& f : futures_) {
      if (!f.done()) f.promise().RemoveWaiter(this);
    }
  }

  const std::vector<Future<T>>& futures_;
  const ReturnWhen when_;
  std::coroutine_handle<> awaiting_ = nullptr;
  std::size_t unfinished_ = 0;
  PromiseBase* first_failure_ = nullptr;
  bool finished_any_ = false;
  bool registered_ = false;
  bool woken_ = false;
};

template <typename T>
std::vector<Future<T>> StartAll(std::vector<Task<T>>& tasks) {
  EventLoop& loop = CurrentLoop("coro::Gather/Wait");
  std::vector<Future<T>> futures;
  futures.reserve(tasks.size());
  for (Task<T>& task : tasks) futures.push_back(loop.CreateTask(std::move(task)));
  std::vector<Task<T>>().swap(tasks);  // the loop owns them now: free the buffer too
  return futures;
}

template <typename T>
Task<GatherResult<T>> GatherFutures(std::vector<Future<T>> futures, bool move_results) {
  if (PromiseBase* failure = co_await WhenAwaiter<T>(futures, ReturnWhen::kFirstException)) {
    std::rethrow_exception(failure->exception());
  }
  if constexpr (std::is_void_v<T>) {
    co_return;
  } else {
    std::vector<T> results;
    results.reserve(futures.size());
    for (Future<T>& f : futures) {
      if (move_results) {
        results.push_back(std::move(f.Result()));
      } else {
        results.push_back(f.Result());
      }
    }
    co_return results;
  }
}

template <typename T>
Task<WaitResult<T>> WaitFutures(std::vector<Future<T>> futures, ReturnWhen when) {
  co_await WhenAwaiter<T>(futures, when);
  WaitResult<T> result;
  for (Future<T>& f : futures) (f.done() ? result.done : result.pending).push_back(std::move(f));
  co_return result;
}

}  // namespace internal

// Gather(futures): asyncio.gather(*futures). Results are copied out of the Futures.
template <typename T>
Task<GatherResult<T>> Gather(std::vector<Future<T>> futures) {
  return internal::GatherFutures(std::move(futures), /*move_results=*/false);
}

// Gather(tasks): asyncio.gather(*coroutines). Results are moved out of the tasks.
template <typename T>
Task<GatherResult<T>> Gather(std::vector<Task<T>> tasks) {
  // A coroutine, so that the tasks start when the Gather is awaited, on that loop.
  std::vector<Future<T>> futures = internal::StartAll(tasks);
  if constexpr (std::is_void_v<T>) {
    co_await internal::GatherFutures(std::move(futures), /*move_results=*/true);
  } else {
    co_return co_await internal::GatherFutures(std::move(futures), /*move_results=*/true);
  }
}

// Gather(a, b, c): asyncio.gather(a(), b(), c()) for tasks of one result type.
template <typename T, typename... More>
  requires(std::is_same_v<More, Task<T>> && ...)
Task<GatherResult<T>> Gather(Task<T> first, More... more) {
  std::vector<Task<T>> tasks;
  tasks.reserve(1 + sizeof...(More));
  tasks.push_back(std::move(first));
  (tasks.push_back(std::move(more)), ...);
  return Gather(std::move(tasks));
}

// Wait(futures, when): asyncio.wait(futures, return_when=when).
template <typename T>
Task<WaitResult<T>> Wait(std::vector<Future<T>> futures,
                         ReturnWhen when = ReturnWhen::kAllCompleted) {
  return internal::WaitFutures(std::move(futures), when);
}

// Wait(tasks, when): hands the tasks to the loop first (asyncio.wait wraps coroutines too).
template <typename T>
Task<WaitResult<T>> Wait(std::vector<Task<T>> tasks, ReturnWhen when = ReturnWhen::kAllCompleted) {
  std::vector<Future<T>> futures = internal::StartAll(tasks);
  co_return co_await internal::WaitFutures(std::move(futures), when);
}

}  // namespace coro

#endif  // COROUTINE_CORO_GATHER_H_
