#include "coroutine/coro/async_task_group.h"

#include <string>

#include "coroutine/coro/timeout.h"

namespace coro {

TaskGroupError::TaskGroupError(std::vector<std::exception_ptr> errors)
    : std::runtime_error("unhandled errors in a TaskGroup (" + std::to_string(errors.size()) +
                         (errors.size() == 1 ? " sub-exception)" : " sub-exceptions)")),
      errors_(std::move(errors)) {}

std::vector<std::string> TaskGroupError::messages() const {
  std::vector<std::string> messages;
  for (const std::exception_ptr& e : errors_) {
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& x) {
      messages.push_back(x.what());
    } catch (...) {
      messages.push_back("unknown exception");
    }
  }
  return messages;
}

// Suspends the exiting body until the last child has ended (asyncio's
// `await self._on_completed_fut`). A cancellation point.
class TaskGroup::AllEnded final : public internal::Awaited {
 public:
  explicit AllEnded(TaskGroup& group) : group_(group) {}
  bool await_ready() const noexcept { return group_.live_ == 0; }
  void await_suspend(std::coroutine_handle<> at) {
    task_ = &group_.loop_.current_task();
    group_.exit_waiter_ = this;
    group_.loop_.Suspend(at, this);
  }
  void await_resume() const {
    if (task_ != nullptr) task_->ThrowIfCancelled();
  }
  bool Cancel(internal::PromiseBase&) noexcept override {
    group_.exit_waiter_ = nullptr;
    return true;
  }
  std::string Describe() const override {
    return "task group: wait for " + std::to_string(group_.live_) + " task(s)";
  }
  void Wake() {
    group_.exit_waiter_ = nullptr;
    group_.loop_.Wake(*task_);
  }

 private:
  TaskGroup& group_;
  internal::PromiseBase* task_ = nullptr;
};

TaskGroup::TaskGroup(EventLoop& loop, internal::PromiseBase& parent)
    : loop_(loop), parent_(parent) {}

TaskGroup::~TaskGroup() {
  // Normally every child has ended. If the loop was closed under the group, children
  // still hold our nodes: take them back before the group goes.
  for (Child& child : children_) {
    if (child.task == nullptr) continue;
    child.task->RemoveWaiter(child.node);
    child.task->Release();
  }
}

void TaskGroup::CheckAccepting() const {
  if (aborting_) throw std::logic_error("TaskGroup::CreateTask: the group is shutting down");
  if (exiting_ && live_ == 0) throw std::logic_error("TaskGroup::CreateTask: the group is finished");
}

void TaskGroup::Adopt(internal::PromiseBase& task) {
  Child& child = children_.emplace_back();
  child.group = this;
  child.task = &task;
  child.node.waiter = &child;
  task.AddRef();
  task.AddWaiter(child.node);
  ++live_;
}

void TaskGroup::Child::OnTaskDone(internal::PromiseBase& done) noexcept {
  task = nullptr;  // the task took our node off its list
  group->OnChildDone(done);
  done.Release();  // may free the frame: nothing may follow
}

// asyncio's TaskGroup._on_task_done.
void TaskGroup::OnChildDone(internal::PromiseBase& task) {
  --live_;
  if (live_ == 0 && exit_waiter_ != nullptr) exit_waiter_->Wake();
  if (task.cancelled()) return;
  if (!task.exception()) return;
  task.MarkRetrieved();
  errors_.push_back(task.exception());
  if (!aborting_ && !parent_cancel_requested_) {
    // Stop whatever the body is doing: cancel it, and the siblings. __aexit__ withdraws
    // this cancellation of the parent again.
    Abort();
    parent_cancel_requested_ = true;
    loop_.Cancel(parent_);
  }
}

void TaskGroup::Abort() {
  aborting_ = true;
  for (Child& child : children_) {
    if (child.task != nullptr) loop_.Cancel(*child.task);
  }
}

// asyncio's TaskGroup.__aexit__.
Task<void> TaskGroup::Exit(std::exception_ptr body_error) {
  exiting_ = true;
  const bool body_cancelled = internal::IsCancelledError(body_error);
  std::exception_ptr propagate_cancellation = body_cancelled ? body_error : nullptr;
  if (parent_cancel_requested_) {
    // We cancelled the parent ourselves: withdraw it; if no other request is left,
    // the CancelledError was only ours.
    if (parent_.Uncancel() == 0) propagate_cancellation = nullptr;
  }
  if (body_error && !aborting_) Abort();
  while (live_ > 0) {
    try {
      co_await AllEnded(*this);
    } catch (const CancelledError&) {
      if (!aborting_) {  // the parent task is being cancelled from outside
        propagate_cancellation = std::current_exception();
        Abort();
      }
    }
  }
  if (propagate_cancellation && errors_.empty()) std::rethrow_exception(propagate_cancellation);
  if (body_error && !body_cancelled) errors_.push_back(body_error);
  if (!errors_.empty()) throw TaskGroupError(std::move(errors_));
}

}  // namespace coro
