#include "coroutine/coro/task.h"

#include <algorithm>

namespace coro {
namespace {

thread_local std::size_t last_frame_size = 0;

}  // namespace

std::size_t LastTaskFrameSize() { return last_frame_size; }

namespace internal {

void* PromiseBase::operator new(std::size_t bytes) {
  last_frame_size = bytes;
  return ::operator new(bytes);
}

void PromiseBase::operator delete(void* frame) noexcept { ::operator delete(frame); }

void PromiseBase::AddWaiter(Waiter* waiter) {
  if (link_ == nullptr) {
    link_ = waiter;
  } else if (has_fan_out_) {
    static_cast<FanOut*>(static_cast<Waiter*>(link_))->waiters.push_back(waiter);
  } else {
    auto* fan_out = new FanOut;
    fan_out->waiters = {static_cast<Waiter*>(link_), waiter};
    link_ = static_cast<Waiter*>(fan_out);
    has_fan_out_ = true;
  }
}

void PromiseBase::RemoveWaiter(Waiter* waiter) noexcept {
  if (has_fan_out_) {
    std::vector<Waiter*>& waiters = static_cast<FanOut*>(static_cast<Waiter*>(link_))->waiters;
    waiters.erase(std::remove(waiters.begin(), waiters.end(), waiter), waiters.end());
  } else if (link_ == waiter) {
    link_ = nullptr;
  }
}

void PromiseBase::NotifyWaiters() noexcept {
  if (link_ == nullptr) return;
  Waiter* waiter = static_cast<Waiter*>(std::exchange(link_, nullptr));
  // Waiters schedule and never resume inline, so none can add or remove one meanwhile.
  waiter->OnTaskDone(*this);
  if (std::exchange(has_fan_out_, false)) delete static_cast<FanOut*>(waiter);
}

void PromiseBase::OnFinished() noexcept {
  if (!spawned_) {  // awaited directly: hand control back to the awaiting coroutine
    if (link_ != nullptr) TransferTo(std::coroutine_handle<>::from_address(link_));
    return;
  }
  Unlink();  // from the loop's unfinished tasks
  NotifyWaiters();
  Release();  // the loop's reference; may destroy this frame
}

}  // namespace internal
}  // namespace coro
