#include "coroutine/coro/timeout.h"

namespace coro::internal {

Task<void> CancelAt(TimePoint deadline, PromiseBase* target, bool* expired) {
  EventLoop& loop = RunningLoop("coro::Timeout");
  if (deadline > loop.Now()) co_await Sleep(deadline - loop.Now());
  *expired = true;
  loop.Cancel(*target);
}

}  // namespace coro::internal
