// coroutine/coro/gather_and_wait.h — waiting for many tasks at once: Gather (results), Wait (sets).
//
// The tutorial's 方法详解 section contrasts asyncio.gather and asyncio.wait:
//
//   std::vector<int> r = co_await coro::Gather(std::move(tasks));   // results, in order
//   auto outcomes = co_await coro::Gather(std::move(tasks), coro::kReturnExceptions);
//   coro::WaitResult<int> w = co_await coro::Wait(std::move(futures),
//                                                 coro::ReturnWhen::kFirstCompleted);
//   // w.done, w.pending: Futures; read w.done[i].Result() yourself
//
// Gather contract (asyncio.gather):
// - Tasks are handed to the loop (CreateTask) when the Gather starts, so they run
//   concurrently; Futures are used as they are.
// - Returns the results in the order of the arguments, whatever order they finished in.
// - If one fails (or is cancelled), Gather rethrows its exception as soon as it happens;
//   the others are not cancelled and keep running. With kReturnExceptions it instead
//   waits for all and returns an Outcome per task: a value or an exception.
// - If the task awaiting a Gather is cancelled, every unfinished child is cancelled, and
//   the Gather raises CancelledError.
// - Gather reads every child's outcome, so none of them warns "never retrieved".
//
// Wait contract (asyncio.wait):
// - Returns when the condition holds: kFirstCompleted (at least one finished),
//   kFirstException (one failed, or all finished), kAllCompleted (all finished), or
//   when `timeout` has passed: then `pending` holds the unfinished ones.
// - Never throws the tasks' exceptions: it partitions the Futures into `done` and
//   `pending`, each in argument order (asyncio returns unordered sets).
// - An empty list is refused, as asyncio.wait([]) raises ValueError: std::invalid_argument.
// - Cancelling the waiting task does not cancel the tasks waited for.
// - Wait(tasks) hands Tasks to the loop first, as asyncio.wait did with coroutines until
//   Python 3.11, which refuses them: "TypeError: Passing coroutines is forbidden, use
//   tasks explicitly." Kept here because a C++ Task cannot be confused with a Future.
//
// Cost: the awaiting coroutine holds one list node per task (16 bytes), registered with
// the task, and nothing else per task beyond the results.
#ifndef COROUTINE_CORO_GATHER_AND_WAIT_H_
#define COROUTINE_CORO_GATHER_AND_WAIT_H_

#include <coroutine>
#include <cstddef>
#include <exception>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "coroutine/coro/event_loop.h"
#include "coroutine/coro/future.h"
#include "coroutine/coro/task.h"
#include "coroutine/coro/timeout.h"

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

// Gather(..., kReturnExceptions): asyncio's return_exceptions=True.
struct ReturnExceptions {};
inline constexpr ReturnExceptions kReturnExceptions{};

// One task's outcome under kReturnExceptions: its value, or the exception it ended with.
template <typename T>
struct Outcome {
  std::optional<T> value;      // empty if the task failed
  std::exception_ptr error;    // nullptr if it returned
  bool ok() const { return error == nullptr; }
};
template <>
struct Outcome<void> {
  std::exception_ptr error;
  bool ok() const { return error == nullptr; }
};

namespace internal {

// Suspends until `when` holds for `futures`. Returns the first task that failed (in the
// order the failures happened), or nullptr.
template <typename T>
class WhenAwaiter final : public Waiter, public Awaited {
 public:
  // `gather`: cancelling the waiting task cancels the children, and their outcomes count
  // as retrieved (Gather); otherwise neither (Wait).
  WhenAwaiter(const std::vector<Future<T>>& futures, ReturnWhen when, bool gather)
      : futures_(futures), when_(when), cancel_children_(gather), mark_retrieved_(gather) {}
  WhenAwaiter(const WhenAwaiter&) = delete;
  WhenAwaiter& operator=(const WhenAwaiter&) = delete;
  ~WhenAwaiter() { Unregister(); }

  // One pass over the tasks (a million of them are a million cache misses): count the
  // finished ones and register with the others at once; if that already satisfies the
  // condition, take the registrations back and do not suspend.
  bool await_ready() {
    nodes_.resize(futures_.size());
    for (std::size_t i = 0; i < futures_.size(); ++i) {
      PromiseBase& task = futures_[i].promise();
      if (!task.done()) {
        ++unfinished_;
        nodes_[i].waiter = this;
        task.AddWaiter(nodes_[i]);
        continue;
      }
      if (mark_retrieved_) task.MarkRetrieved();
      if (first_failure_ == nullptr && task.exception()) first_failure_ = &task;
    }
    registered_ = true;
    finished_any_ = unfinished_ < futures_.size();
    if (!Satisfied()) return false;
    Unregister();
    return true;
  }
  void await_suspend(std::coroutine_handle<> at) {
    EventLoop& loop = RunningLoop("coro::Gather/Wait");
    waiting_ = &loop.current_task();
    loop.Suspend(at, this);
  }
  PromiseBase* await_resume() {
    Unregister();
    if (waiting_ != nullptr) waiting_->ThrowIfCancelled();
    return first_failure_;
  }

  // True if the waiting task was cancelled and the cancellation went to the children.
  bool cancel_requested() const { return cancel_requested_; }

  void OnTaskDone(PromiseBase& task) noexcept override {
    if (mark_retrieved_) task.MarkRetrieved();  // now, while its frame is in the cache
    --unfinished_;
    finished_any_ = true;
    if (first_failure_ == nullptr && task.exception()) first_failure_ = &task;
    if (!woken_ && Satisfied()) {
      woken_ = true;
      if (EventLoop* loop = EventLoop::Running()) loop->Wake(*waiting_);
    }
  }

  bool Cancel(PromiseBase&) noexcept override {
    if (cancel_children_) {
      bool any = false;
      for (const Future<T>& f : futures_) {
        if (!f.done()) any = f.Cancel() || any;
      }
      if (any) {
        cancel_requested_ = true;
        return false;  // we wake when the children have answered
      }
    }
    Unregister();
    return true;
  }

  std::string Describe() const override {
    return (cancel_children_ ? "gather " : "wait for ") + std::to_string(futures_.size()) +
           " task(s)";
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
  // Finished tasks have taken our nodes off their lists; unfinished ones must forget us.
  void Unregister() noexcept {
    if (!std::exchange(registered_, false) || unfinished_ == 0) return;
    for (std::size_t i = 0; i < futures_.size(); ++i) {
      if (!futures_[i].done()) futures_[i].promise().RemoveWaiter(nodes_[i]);
    }
  }

  const std::vector<Future<T>>& futures_;
  const ReturnWhen when_;
  const bool cancel_children_;
  const bool mark_retrieved_;
  std::vector<WaitNode> nodes_;
  PromiseBase* waiting_ = nullptr;
  std::size_t unfinished_ = 0;
  PromiseBase* first_failure_ = nullptr;
  bool finished_any_ = false;
  bool registered_ = false;
  bool woken_ = false;
  bool cancel_requested_ = false;
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

// Gather reads every child's outcome: asyncio marks them retrieved, even those that end
// after the Gather has thrown (the WhenAwaiter marks those that end while it waits).
template <typename T>
void RetrieveUnfinished(const std::vector<Future<T>>& futures) {
  for (const Future<T>& f : futures) {
    if (!f.done()) f.promise().MarkRetrieved();
  }
}

template <typename T>
Task<GatherResult<T>> GatherFutures(std::vector<Future<T>> futures, bool move_results) {
  WhenAwaiter<T> when(futures, ReturnWhen::kFirstException, /*gather=*/true);
  if (PromiseBase* failure = co_await when) {
    RetrieveUnfinished(futures);
    std::rethrow_exception(failure->exception());
  }
  if (when.cancel_requested()) throw CancelledError();  // the children answered anyway
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
Task<std::vector<Outcome<T>>> GatherOutcomes(std::vector<Future<T>> futures) {
  WhenAwaiter<T> when(futures, ReturnWhen::kAllCompleted, /*gather=*/true);
  co_await when;
  if (when.cancel_requested()) throw CancelledError();
  std::vector<Outcome<T>> outcomes(futures.size());
  for (std::size_t i = 0; i < futures.size(); ++i) {
    outcomes[i].error = futures[i].promise().exception();
    if constexpr (!std::is_void_v<T>) {
      if (outcomes[i].ok()) outcomes[i].value.emplace(std::move(futures[i].Result()));
    }
  }
  co_return outcomes;
}

template <typename T>
Task<void> WaitUntil(const std::vector<Future<T>>& futures, ReturnWhen when) {
  co_await WhenAwaiter<T>(futures, when, /*gather=*/false);
}

template <typename T>
Task<WaitResult<T>> WaitFutures(std::vector<Future<T>> futures, ReturnWhen when,
                                std::optional<Duration> timeout) {
  if (futures.empty()) {
    throw std::invalid_argument("coro::Wait: the set of futures is empty");
  }
  if (timeout) {
    try {
      co_await Timeout(*timeout, WaitUntil(futures, when));
    } catch (const TimeoutError&) {
      // asyncio.wait with a timeout returns what is done by then; it never raises.
    }
  } else {
    co_await WaitUntil(futures, when);
  }
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

// asyncio.gather(*aws, return_exceptions=True): every task's Outcome, in argument order.
template <typename T>
Task<std::vector<Outcome<T>>> Gather(std::vector<Future<T>> futures, ReturnExceptions) {
  return internal::GatherOutcomes(std::move(futures));
}
template <typename T>
Task<std::vector<Outcome<T>>> Gather(std::vector<Task<T>> tasks, ReturnExceptions) {
  std::vector<Future<T>> futures = internal::StartAll(tasks);
  co_return co_await internal::GatherOutcomes(std::move(futures));
}

// Wait(futures, when, timeout): asyncio.wait(futures, return_when=when, timeout=timeout).
template <typename T>
Task<WaitResult<T>> Wait(std::vector<Future<T>> futures,
                         ReturnWhen when = ReturnWhen::kAllCompleted,
                         std::optional<Duration> timeout = std::nullopt) {
  return internal::WaitFutures(std::move(futures), when, timeout);
}

// Wait(tasks, ...): hands the tasks to the loop first (see the contract above).
template <typename T>
Task<WaitResult<T>> Wait(std::vector<Task<T>> tasks, ReturnWhen when = ReturnWhen::kAllCompleted,
                         std::optional<Duration> timeout = std::nullopt) {
  if (tasks.empty()) throw std::invalid_argument("coro::Wait: the set of futures is empty");
  std::vector<Future<T>> futures = internal::StartAll(tasks);
  co_return co_await internal::WaitFutures(std::move(futures), when, timeout);
}

}  // namespace coro

#endif  // COROUTINE_CORO_GATHER_AND_WAIT_H_
