#include "coroutine/coro/future.h"

#include <string>

#include "coroutine/coro/event_loop.h"

namespace coro {
namespace internal {

bool CancelTask(PromiseBase& task) { return CurrentLoop("coro::Future::Cancel").Cancel(task); }

FutureWait::~FutureWait() {
  if (registered_) awaited_.RemoveWaiter(node_);
}

void FutureWait::Suspend(std::coroutine_handle<> at) {
  EventLoop& loop = RunningLoop("co_await coro::Future");
  waiting_ = &loop.current_task();
  node_.waiter = this;
  awaited_.AddWaiter(node_);
  registered_ = true;
  loop.Suspend(at, this);
}

void FutureWait::Resumed() {
  if (waiting_ != nullptr) waiting_->ThrowIfCancelled();
}

void FutureWait::OnTaskDone(PromiseBase&) noexcept {
  registered_ = false;  // the task took our node off its list
  if (EventLoop* loop = EventLoop::Running()) loop->RunNow(*waiting_);
}

bool FutureWait::Cancel(PromiseBase&) noexcept {
  if (!shield_ && CurrentLoop("coro::Future::Cancel").Cancel(awaited_)) {
    return false;  // the awaited task is cancelled; we wake when it has ended
  }
  // Shielded, or the awaited task has ended already: stop waiting.
  if (registered_) awaited_.RemoveWaiter(node_);
  registered_ = false;
  return true;
}

std::string FutureWait::Describe() const {
  const TaskInfo* info = FindTaskInfo(awaited_);
  std::string name = info != nullptr && !info->name.empty() ? info->name : "a task";
  return (shield_ ? "await shield(" + name + ")" : "await " + name);
}

}  // namespace internal
}  // namespace coro
