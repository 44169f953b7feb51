#include "coroutine/coro/task.h"

#include <cxxabi.h>

#include <cstdlib>
#include <memory>
#include <string>
#include <typeinfo>
#include <unordered_map>

#include "common/lesson.h"
#include "common/message.h"
#include "coroutine/coro/frame_arena.h"

namespace coro {
namespace {

thread_local std::size_t last_frame_size = 0;

// The side table of task_info.h. One per thread, like the tasks.
std::unordered_map<const internal::PromiseBase*, internal::TaskInfo>& InfoTable() {
  thread_local std::unordered_map<const internal::PromiseBase*, internal::TaskInfo> table;
  return table;
}

// "std::runtime_error: boom": the exception's type and message, as asyncio prints
// `exception=ValueError('boom')`.
std::string DescribeException(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    int status = 0;
    std::unique_ptr<char, void (*)(void*)> name(
        abi::__cxa_demangle(typeid(e).name(), nullptr, nullptr, &status), std::free);
    return std::string(status == 0 ? name.get() : typeid(e).name()) + ": " + e.what();
  } catch (...) {
    std::type_info* type = abi::__cxa_current_exception_type();
    if (type == nullptr) return "an unknown exception";
    int status = 0;
    std::unique_ptr<char, void (*)(void*)> name(
        abi::__cxa_demangle(type->name(), nullptr, nullptr, &status), std::free);
    return status == 0 ? name.get() : type->name();
  }
}

}  // namespace

std::size_t LastTaskFrameSize() { return last_frame_size; }

namespace internal {

void* PromiseBase::operator new(std::size_t bytes) {
  last_frame_size = bytes;
  return AllocateFrame(bytes);
}

void PromiseBase::operator delete(void* frame, std::size_t bytes) noexcept {
  FreeFrame(frame, bytes);
}

PromiseBase::~PromiseBase() {
  // asyncio logs "Task exception was never retrieved" when such a task is garbage
  // collected; here, when its frame is freed (the last Future, or the loop, let go).
  if (spawned_ && exception_ && !exception_retrieved_ && !cancelled()) {
    const TaskInfo* info = FindTaskInfo(*this);
    const std::string error = DescribeException(exception_);
    lesson::WriteErrorLine(
        info != nullptr && !info->name.empty()
            ? lesson::Format("Task exception was never retrieved: task '%s' raised %s",
                             info->name, error)
            : lesson::Format("Task exception was never retrieved: a task raised %s (name "
                             "tasks with CreateTask(task, name) to see which)",
                             error));
  }
  if (has_info_) InfoTable().erase(this);
}

bool IsCancelledError(const std::exception_ptr& error) noexcept {
  if (!error) return false;
  try {
    std::rethrow_exception(error);
  } catch (const CancelledError&) {
    return true;
  } catch (...) {
    return false;
  }
}

bool PromiseBase::cancelled() const noexcept { return IsCancelledError(exception_); }

void PromiseBase::AddWaiter(WaitNode& node) noexcept {
  node.next = nullptr;
  WaitNode** last = &waiters_;
  while (*last != nullptr) last = &(*last)->next;
  *last = &node;
}

void PromiseBase::RemoveWaiter(WaitNode& node) noexcept {
  for (WaitNode** link = &waiters_; *link != nullptr; link = &(*link)->next) {
    if (*link == &node) {
      *link = node.next;
      node.next = nullptr;
      return;
    }
  }
}

void PromiseBase::RequireDone(const char* what) {
  if (done()) return;
  throw InvalidStateError(abandoned_ ? std::string(what) +
                                           ": the task never finished: its loop was closed"
                                     : std::string(what) + ": the task is not done yet");
}

TaskInfo& TaskInfoOf(PromiseBase& task) {
  task.has_info_ = true;
  return InfoTable()[&task];
}

const TaskInfo* FindTaskInfo(const PromiseBase& task) {
  if (!task.has_info_) return nullptr;
  auto it = InfoTable().find(&task);
  return it == InfoTable().end() ? nullptr : &it->second;
}

}  // namespace internal
}  // namespace coro
