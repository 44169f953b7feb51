#include "coroutine/coro/timeout.h"

namespace coro::internal {

Task<void> CancelAt(TimePoint deadline, PromiseBase* target, bool* expired) {
  EventLoop& loop = RunningLoop("coro::Timeout");
  if (deadline > loop.Now()) co_await Sleep(deadline - loop.Now());
  *expired = true;
  loop.Cancel(*target);
}

bool IsCancelledError(const std::exception_ptr& error) {
  if (!error) return false;
  try {
    std::rethrow_exception(error);
  } catch (const CancelledError&) {
    return true;
  } catch (...) {
    return false;
  }
}

}  // namespace coro::internal
