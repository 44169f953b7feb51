// coroutine/coro/async_task_group.h — structured concurrency: no task outlives its group
// (asyncio.TaskGroup, new in Python 3.11).
//
//   co_await coro::WithTaskGroup([&](coro::TaskGroup& group) -> coro::Task<void> {
//     group.CreateTask(Fetch("a"));          // async with asyncio.TaskGroup() as tg:
//     group.CreateTask(Fetch("b"));          //     tg.create_task(fetch("a")) ...
//     co_return;
//   });                                      // here every child has ended
//
// Contract (asyncio.TaskGroup of Python 3.11, step for step):
// - WithTaskGroup runs the body in the calling task, then waits until every child has
//   ended. It returns only then, whatever happened: no child outlives the group, which
//   is why the group is handed to a body instead of being a variable that could go out
//   of scope while its children run.
// - The first child to fail (with an exception other than CancelledError) cancels its
//   siblings and the body (if it is still running); the group then waits for them all.
// - Then, if any child failed (or the body did), WithTaskGroup throws one TaskGroupError
//   holding every failure (asyncio's ExceptionGroup), children's first, then the body's.
// - If the calling task itself is cancelled, the children are cancelled too and, once
//   they have ended, CancelledError propagates (unless a child failed: errors first).
// - A child cancelled on its own does not disturb the group.
// - CreateTask on a group that is shutting down (after a failure) throws std::logic_error.
#ifndef COROUTINE_CORO_ASYNC_TASK_GROUP_H_
#define COROUTINE_CORO_ASYNC_TASK_GROUP_H_

#include <cstddef>
#include <deque>
#include <exception>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "coroutine/coro/event_loop.h"
#include "coroutine/coro/future.h"
#include "coroutine/coro/task.h"

namespace coro {

// The failures of a TaskGroup's tasks, together (asyncio's ExceptionGroup). what() reads
// like Python's: "unhandled errors in a TaskGroup (2 sub-exceptions)".
class TaskGroupError : public std::runtime_error {
 public:
  explicit TaskGroupError(std::vector<std::exception_ptr> errors);
  const std::vector<std::exception_ptr>& exceptions() const { return errors_; }
  // The what() of each failure, in order ("unknown exception" for one that is not a
  // std::exception): what Python prints for [str(e) for e in group.exceptions].
  std::vector<std::string> messages() const;

 private:
  std::vector<std::exception_ptr> errors_;
};

class TaskGroup {
 public:
  TaskGroup(const TaskGroup&) = delete;
  TaskGroup& operator=(const TaskGroup&) = delete;
  ~TaskGroup();

  // TaskGroup::CreateTask()
  //
  // asyncio's tg.create_task(): the loop runs `task` as a child of this group.
  template <typename T>
  Future<T> CreateTask(Task<T> task, std::string name = "") {
    CheckAccepting();
    Future<T> future = loop_.CreateTask(std::move(task), std::move(name));
    Adopt(future.promise());
    return future;
  }

  // Children not yet ended.
  std::size_t running() const { return live_; }

 private:
  template <typename Body>
  friend Task<void> WithTaskGroup(Body body);

  // One child: the group is told when it ends, and holds a reference so that it can
  // still unregister if the loop is closed under it.
  struct Child final : internal::Waiter {
    TaskGroup* group;
    internal::PromiseBase* task;
    internal::WaitNode node;
    void OnTaskDone(internal::PromiseBase& done) noexcept override;
  };
  class AllEnded;

  TaskGroup(EventLoop& loop, internal::PromiseBase& parent);
  void CheckAccepting() const;
  void Adopt(internal::PromiseBase& task);
  void OnChildDone(internal::PromiseBase& task);
  void Abort();  // cancels every child still running
  // asyncio's __aexit__: waits for the children, then throws what must be thrown.
  Task<void> Exit(std::exception_ptr body_error);

  EventLoop& loop_;
  internal::PromiseBase& parent_;
  std::deque<Child> children_;  // a deque: nodes must not move once registered
  std::size_t live_ = 0;
  std::vector<std::exception_ptr> errors_;
  AllEnded* exit_waiter_ = nullptr;
  bool aborting_ = false;
  bool exiting_ = false;
  bool parent_cancel_requested_ = false;
};

// WithTaskGroup(body): `async with asyncio.TaskGroup() as tg: <body>`. `body` is called
// with the group and must return a Task<void>; see the contract above.
template <typename Body>
Task<void> WithTaskGroup(Body body) {
  EventLoop& loop = RunningLoop("coro::WithTaskGroup");
  TaskGroup group(loop, loop.current_task());
  std::exception_ptr body_error;
  try {
    co_await body(group);
  } catch (...) {
    body_error = std::current_exception();
  }
  co_await group.Exit(body_error);
}

}  // namespace coro

#endif  // COROUTINE_CORO_ASYNC_TASK_GROUP_H_
