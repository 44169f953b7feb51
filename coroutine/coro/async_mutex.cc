#include "coroutine/coro/async_mutex.h"

#include <stdexcept>

namespace coro {

// asyncio.Lock.acquire() of Python 3.11, line for line.
Task<AsyncMutex::Guard> AsyncMutex::Lock() {
  if (TryLock()) co_return Guard(this);
  internal::WaitList::Entry entry(waiters_, "lock");
  try {
    co_await entry;
  } catch (const CancelledError&) {
    entry.Leave();
    if (!locked_) waiters_.WakeFirst();  // it may have been our turn: pass it on
    throw;
  }
  entry.Leave();
  locked_ = true;
  co_return Guard(this);
}

void AsyncMutex::Unlock() {
  if (!locked_) throw std::logic_error("AsyncMutex::Unlock: the mutex is not locked");
  locked_ = false;
  waiters_.WakeFirst();
}

}  // namespace coro
