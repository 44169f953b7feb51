// coroutine/coro/wait_list.h — tasks waiting in line: what AsyncMutex and Queue are made of.
//
// asyncio builds its Lock, Queue and Event from a deque of futures: a waiting task
// appends a future and awaits it; whoever frees the resource sets the first future's
// result. A WaitList is that deque, with the future replaced by an Entry that lives in
// the waiting coroutine's frame (no allocation):
//
//   internal::WaitList::Entry entry(getters_, "queue get");
//   co_await entry;              // suspended until someone wakes this entry
//   ...
//   getters_.WakeNext();         // elsewhere: wake the longest waiter
//
// As in asyncio, an Entry stays in the list after it was woken or cancelled until its
// task runs again and the Entry is destroyed (asyncio removes the future in a `finally`);
// the two wake-ups differ in whether they take the entry off the front (Queue) or leave
// it for its owner to remove (Lock). Single-threaded, like the loop.
#ifndef COROUTINE_CORO_WAIT_LIST_H_
#define COROUTINE_CORO_WAIT_LIST_H_

#include <coroutine>
#include <string>

#include "coroutine/coro/task.h"

namespace coro::internal {

class WaitList {
 public:
  class Entry final : public Awaited, public ListNode {
   public:
    Entry(WaitList& list, const char* what) : list_(list), what_(what) {}
    ~Entry() = default;  // ListNode's destructor leaves the list

    bool await_ready() const noexcept { return false; }
    void await_suspend(std::coroutine_handle<> at);
    void await_resume() const { task_->ThrowIfCancelled(); }

    // asyncio's future states: still waiting, woken (its result set), or cancelled.
    bool woken() const { return state_ == kWoken; }
    bool cancelled() const { return state_ == kCancelled; }
    // Leaves the list now (asyncio's `waiters.remove(fut)`).
    void Leave() { Unlink(); }

    bool Cancel(PromiseBase& task) noexcept override;
    std::string Describe() const override { return what_; }

   private:
    friend class WaitList;
    enum State { kWaiting, kWoken, kCancelled };
    void Wake();

    WaitList& list_;
    const char* what_;
    PromiseBase* task_ = nullptr;
    State state_ = kWaiting;
  };

  WaitList() = default;
  WaitList(const WaitList&) = delete;
  WaitList& operator=(const WaitList&) = delete;

  // asyncio Lock._wake_up_first(): wakes the first entry if it is still waiting. It stays
  // in the list until its task runs.
  void WakeFirst();
  // asyncio Queue._wakeup_next(): takes entries off the front until one is still
  // waiting, and wakes that one.
  void WakeNext();
  // asyncio Event.set(): wakes every entry still waiting.
  void WakeAll();

  bool empty() const { return !entries_.linked(); }
  // True if every entry was cancelled (asyncio Lock.acquire's fairness check).
  bool AllCancelled() const;

 private:
  ListNode entries_;  // Entries, oldest first
};

}  // namespace coro::internal

#endif  // COROUTINE_CORO_WAIT_LIST_H_
