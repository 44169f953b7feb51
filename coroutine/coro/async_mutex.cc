#include "coroutine/coro/async_mutex.h"

#include <cassert>

namespace coro {

void AsyncMutex::Unlock() {
  assert(locked_ && "AsyncMutex::Unlock of a mutex nobody holds");
  if (!waiters_.linked()) {
    locked_ = false;
    return;
  }
  // Ownership passes to the oldest waiter; locked_ stays true, so nobody barges in
  // before the loop resumes it.
  auto* next = static_cast<LockAwaiter*>(waiters_.next);
  next->Unlink();
  internal::ScheduleOnRunningLoop(next->awaiting_);
}

}  // namespace coro
