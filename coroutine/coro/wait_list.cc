#include "coroutine/coro/wait_list.h"

#include "coroutine/coro/event_loop.h"

namespace coro::internal {

void WaitList::Entry::await_suspend(std::coroutine_handle<> at) {
  EventLoop& loop = RunningLoop(what_);
  task_ = &loop.current_task();
  state_ = kWaiting;
  InsertBefore(list_.entries_);
  loop.Suspend(at, this);
}

void WaitList::Entry::Wake() {
  state_ = kWoken;
  if (EventLoop* loop = EventLoop::Current()) loop->Wake(*task_);
}

bool WaitList::Entry::Cancel(PromiseBase&) noexcept {
  state_ = kCancelled;  // stays listed until its task runs, as in asyncio
  return true;
}

void WaitList::WakeFirst() {
  if (empty()) return;
  auto* first = static_cast<Entry*>(entries_.next);
  if (first->state_ == Entry::kWaiting) first->Wake();
}

void WaitList::WakeNext() {
  while (!empty()) {
    auto* first = static_cast<Entry*>(entries_.next);
    first->Unlink();
    if (first->state_ == Entry::kWaiting) {
      first->Wake();
      return;
    }
  }
}

void WaitList::WakeAll() {
  for (ListNode* n = entries_.next; n != &entries_; n = n->next) {
    auto* entry = static_cast<Entry*>(n);
    if (entry->state_ == Entry::kWaiting) entry->Wake();
  }
}

bool WaitList::AllCancelled() const {
  for (const ListNode* n = entries_.next; n != &entries_; n = n->next) {
    if (static_cast<const Entry*>(n)->state_ != Entry::kCancelled) return false;
  }
  return true;
}

}  // namespace coro::internal
