// coroutine/coro/async_mutex.h — a lock for coroutines on one EventLoop (asyncio.Lock).
//
// The tutorial says coroutines need no lock, because they all run on one thread. That is
// true only while a critical section has no `co_await` in it. Read shared state, await,
// write it back: other coroutines run during the await and their updates are lost
// (async_race shows it). AsyncMutex makes the section exclusive again:
//
//   coro::AsyncMutex mutex;
//   {
//     coro::AsyncMutex::Guard guard = co_await mutex.Lock();   // `async with lock:`
//     int seen = counter;
//     co_await coro::Sleep(1ms);
//     counter = seen + 1;
//   }                                                          // unlocked here
//
// Contract:
// - Lock() never blocks the thread: a coroutine that finds the mutex held is suspended
//   and queued; the loop keeps running others.
// - Fair: Unlock() hands the mutex straight to the longest waiter (no barging), which the
//   loop resumes on a later iteration.
// - An unheld mutex is taken without suspending (like asyncio.Lock.acquire).
// - Single-threaded, like the loop: not a replacement for std::mutex between threads.
// - A waiting coroutine destroyed by EventLoop::Close() leaves the queue; the mutex must
//   outlive the coroutines that use it.
#ifndef COROUTINE_CORO_ASYNC_MUTEX_H_
#define COROUTINE_CORO_ASYNC_MUTEX_H_

#include <coroutine>
#include <utility>

#include "coroutine/coro/task.h"

namespace coro {

class AsyncMutex {
 public:
  // Unlocks on destruction (RAII, like `async with`). Movable, not copyable. A
  // default-constructed Guard holds nothing.
  class [[nodiscard]] Guard {
   public:
    Guard() = default;
    Guard(Guard&& other) noexcept : mutex_(std::exchange(other.mutex_, nullptr)) {}
    Guard& operator=(Guard&& other) noexcept {
      if (this != &other) {
        Release();
        mutex_ = std::exchange(other.mutex_, nullptr);
      }
      return *this;
    }
    ~Guard() { Release(); }

    // Unlocks now instead of at the end of the scope.
    void Release() {
      if (mutex_ != nullptr) std::exchange(mutex_, nullptr)->Unlock();
    }

   private:
    friend class AsyncMutex;
    explicit Guard(AsyncMutex* mutex) : mutex_(mutex) {}
    AsyncMutex* mutex_ = nullptr;
  };

  class [[nodiscard]] LockAwaiter : private internal::ListNode {
   public:
    bool await_ready() noexcept { return mutex_.TryLock(); }
    void await_suspend(std::coroutine_handle<> awaiting) noexcept {
      awaiting_ = awaiting;
      InsertBefore(mutex_.waiters_);
    }
    Guard await_resume() noexcept { return Guard(&mutex_); }

   private:
    friend class AsyncMutex;
    explicit LockAwaiter(AsyncMutex& mutex) : mutex_(mutex) {}
    AsyncMutex& mutex_;
    std::coroutine_handle<> awaiting_ = nullptr;
  };

  AsyncMutex() = default;
  AsyncMutex(const AsyncMutex&) = delete;
  AsyncMutex& operator=(const AsyncMutex&) = delete;

  // AsyncMutex::Lock()
  //
  // `co_await mutex.Lock()` returns a Guard once this coroutine holds the mutex.
  LockAwaiter Lock() { return LockAwaiter(*this); }

  // AsyncMutex::TryLock()
  //
  // Takes the mutex if nobody holds it; returns whether it did. Pair with Unlock().
  bool TryLock() noexcept {
    if (locked_) return false;
    locked_ = true;
    return true;
  }

  // AsyncMutex::Unlock()
  //
  // Hands the mutex to the longest waiter (scheduled on the current loop), or frees it.
  // Precondition: held.
  void Unlock();

  bool is_locked() const { return locked_; }

 private:
  bool locked_ = false;
  internal::ListNode waiters_;  // LockAwaiters, oldest first
};

}  // namespace coro

#endif  // COROUTINE_CORO_ASYNC_MUTEX_H_
