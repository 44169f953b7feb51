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
// Contract (asyncio.Lock of Python 3.11, step for step):
// - Lock() never blocks the thread: a task that finds the mutex held, or others already
//   queued, waits in line; the loop keeps running others. A free mutex with nobody
//   queued is taken without suspending.
// - Fair: Unlock() wakes the longest waiter, and nobody can take the mutex before it
//   runs, because the queue is not empty. Until then is_locked() is false, as asyncio's
//   locked() is: the woken task takes the mutex when it runs.
// - A waiter that is cancelled leaves the line; if it had been woken already, it passes
//   the turn on to the next.
// - Single-threaded, like the loop: not a replacement for std::mutex between threads.
// - The mutex must outlive the coroutines that use it.
#ifndef COROUTINE_CORO_ASYNC_MUTEX_H_
#define COROUTINE_CORO_ASYNC_MUTEX_H_

#include <utility>

#include "coroutine/coro/task.h"
#include "coroutine/coro/wait_list.h"

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

  AsyncMutex() = default;
  AsyncMutex(const AsyncMutex&) = delete;
  AsyncMutex& operator=(const AsyncMutex&) = delete;

  // AsyncMutex::Lock()
  //
  // `co_await mutex.Lock()` returns a Guard once this task holds the mutex (asyncio's
  // `await lock.acquire()`). A cancellation point while it waits.
  Task<Guard> Lock();

  // AsyncMutex::TryLock()
  //
  // Takes the mutex if it is free and nobody waits for it; returns whether it did. Pair
  // with Unlock().
  bool TryLock() noexcept {
    if (locked_ || !waiters_.AllCancelled()) return false;
    locked_ = true;
    return true;
  }

  // AsyncMutex::Unlock()
  //
  // Frees the mutex and wakes the longest waiter. Throws std::logic_error if the mutex
  // is not held (asyncio raises RuntimeError: "Lock is not acquired.").
  void Unlock();

  // asyncio's locked().
  bool is_locked() const { return locked_; }

 private:
  bool locked_ = false;
  internal::WaitList waiters_;
};

}  // namespace coro

#endif  // COROUTINE_CORO_ASYNC_MUTEX_H_
