#include "coroutine/coro/event_loop.h"

#include <sys/epoll.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <system_error>

namespace coro {
namespace {

// This thread's loop (see EventLoop::Current). Single-threaded by design: one per thread.
thread_local EventLoop* current_loop = nullptr;

[[noreturn]] void Die(const std::string& message) {
  std::fprintf(stderr, "%s\n", message.c_str());
  std::fflush(stderr);
  std::abort();
}

std::string ThreadName(std::thread::id id) {
  std::ostringstream out;
  out << id;
  return out.str();
}

constexpr std::uint32_t kReadEvents = EPOLLIN | EPOLLRDHUP;
constexpr std::uint32_t kWriteEvents = EPOLLOUT;
constexpr std::uint32_t kTroubleEvents = EPOLLERR | EPOLLHUP;

}  // namespace

class EventLoop::CurrentScope {
 public:
  explicit CurrentScope(EventLoop* loop) : previous_(std::exchange(current_loop, loop)) {}
  ~CurrentScope() { current_loop = previous_; }

 private:
  EventLoop* previous_;
};

EventLoop::EventLoop() : EventLoop(RealClock::Instance()) {}

EventLoop::EventLoop(Clock& clock) : clock_(clock), owner_(std::this_thread::get_id()) {
  epoll_fd_ = ::epoll_create1(EPOLL_CLOEXEC);
  if (epoll_fd_ < 0) throw std::system_error(errno, std::generic_category(), "epoll_create1");
  if (current_loop == nullptr) current_loop = this;
}

EventLoop::~EventLoop() {
  Close();
  // Tasks still held by Futures outlive the loop: detach them from its list, so that
  // freeing them later does not touch this (then destroyed) object.
  while (abandoned_.linked()) abandoned_.next->Unlink();
  if (current_loop == this) current_loop = nullptr;
}

EventLoop* EventLoop::Current() { return current_loop; }

EventLoop& CurrentLoop(const char* caller) {
  if (current_loop == nullptr) {
    Die(std::string(caller) + ": no EventLoop on this thread (create one, or use coro::Run)");
  }
  return *current_loop;
}

namespace internal {
void ScheduleOnRunningLoop(std::coroutine_handle<> h) {
  CurrentLoop("coro::internal::ScheduleOnRunningLoop").Schedule(h);
}
}  // namespace internal

void EventLoop::WrongThread(const char* what) const {
  Die(std::string(what) + ": called from thread " + ThreadName(std::this_thread::get_id()) +
      ", but this EventLoop belongs to thread " + ThreadName(owner_) +
      " (an EventLoop is single-threaded by design: see coroutine/event_loop.h)");
}

void EventLoop::CheckOpen(const char* what) const {
  if (closed_ || closing_) throw std::logic_error(std::string(what) + ": the EventLoop is closed");
}

std::size_t EventLoop::CountUnfinishedTasks() const {
  std::size_t count = 0;
  for (const internal::ListNode* n = unfinished_.next; n != &unfinished_; n = n->next) ++count;
  return count;
}

void EventLoop::Schedule(std::coroutine_handle<> coroutine) {
  CheckThread("EventLoop::Schedule");
  if (closing_ || closed_) return;
  ready_.push_back(coroutine);
}

void EventLoop::ScheduleAt(TimePoint deadline, std::coroutine_handle<> coroutine) {
  CheckThread("EventLoop::ScheduleAt");
  if (closing_ || closed_) return;
  timers_.Push(deadline, coroutine);
}

void EventLoop::WatchFd(int fd, Readiness readiness, std::coroutine_handle<> coroutine) {
  CheckThread("EventLoop::WatchFd");
  CheckOpen("EventLoop::WatchFd");
  if (fd < 0) throw std::system_error(EBADF, std::generic_category(), "EventLoop::WatchFd");
  if (static_cast<std::size_t>(fd) >= fd_watches_.size()) fd_watches_.resize(fd + 1);
  FdWatch& watch = fd_watches_[fd];
  std::coroutine_handle<>& slot =
      readiness == Readiness::kReadable ? watch.reader : watch.writer;
  if (slot != nullptr) {
    throw std::logic_error("EventLoop::WatchFd: another coroutine already waits on fd " +
                           std::to_string(fd) + " for the same readiness");
  }
  slot = coroutine;
  ++watched_fds_;
  try {
    UpdateInterest(fd, watch);
  } catch (...) {
    slot = nullptr;
    --watched_fds_;
    throw;
  }
}

// Tells epoll exactly what the waiting coroutines want for `fd`: nothing left means the fd
// is removed, so a closed and reused fd number never carries a stale registration long.
void EventLoop::UpdateInterest(int fd, FdWatch& watch) {
  const std::uint32_t wanted =
      (watch.reader ? kReadEvents : 0) | (watch.writer ? kWriteEvents : 0);
  if (wanted == watch.registered) return;
  epoll_event event{};
  event.events = wanted;
  event.data.fd = fd;
  int result;
  if (wanted == 0) {
    result = ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, &event);
    result = 0;  // the fd may already be closed, which removed it: fine either way
  } else if (watch.registered == 0) {
    result = ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &event);
    if (result < 0 && errno == EEXIST) result = ::epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, fd, &event);
  } else {
    result = ::epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, fd, &event);
    if (result < 0 && errno == ENOENT) result = ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &event);
  }
  if (result < 0) throw std::system_error(errno, std::generic_category(), "epoll_ctl");
  watch.registered = wanted;
}

void EventLoop::PollIo(Duration timeout) {
  epoll_event events[64];
  int count;
  if (timeout < Duration::zero()) {
    count = ::epoll_pwait2(epoll_fd_, events, 64, nullptr, nullptr);
  } else {
    timespec limit{};
    limit.tv_sec = static_cast<time_t>(timeout.count() / 1'000'000'000);
    limit.tv_nsec = static_cast<long>(timeout.count() % 1'000'000'000);
    count = ::epoll_pwait2(epoll_fd_, events, 64, &limit, nullptr);
  }
  if (count < 0 && errno == ENOSYS) {  // a kernel older than 5.11: millisecond resolution
    int ms = timeout < Duration::zero()
                 ? -1
                 : static_cast<int>((timeout.count() + 999'999) / 1'000'000);
    count = ::epoll_wait(epoll_fd_, events, 64, ms);
  }
  if (count < 0) {
    if (errno == EINTR) return;
    throw std::system_error(errno, std::generic_category(), "epoll_pwait2");
  }
  for (int i = 0; i < count; ++i) {
    const int fd = events[i].data.fd;
    const std::uint32_t happened = events[i].events;
    FdWatch& watch = fd_watches_[fd];
    const bool trouble = (happened & kTroubleEvents) != 0;
    if (watch.reader && (trouble || (happened & kReadEvents))) {
      ready_.push_back(std::exchange(watch.reader, nullptr));
      --watched_fds_;
    }
    if (watch.writer && (trouble || (happened & kWriteEvents))) {
      ready_.push_back(std::exchange(watch.writer, nullptr));
      --watched_fds_;
    }
    UpdateInterest(fd, watch);
  }
}

bool EventLoop::RunOnce() {
  if (ready_.empty() && timers_.empty() && watched_fds_ == 0) return false;

  // 1. Wait for I/O, but only as long as there is nothing else to do.
  Duration timeout = Duration::zero();
  if (ready_.empty()) {
    timeout = timers_.empty() ? Duration(-1) : clock_.IdleUntil(timers_.NextDeadline());
  }
  if (watched_fds_ > 0 || timeout != Duration::zero()) PollIo(timeout);

  // 2. Run what is ready now (including what I/O just made ready), but not what those
  //    coroutines schedule: that waits for the next iteration, so no one starves the loop.
  for (std::size_t n = ready_.size(); n > 0; --n) {
    std::coroutine_handle<> next = ready_.front();
    ready_.pop_front();
    internal::Resume(next);
  }

  // 3. Timers that are due, in deadline order. A new timer is always later than `now`
  //    (Sleep(0) goes to the ready queue), so this ends.
  const TimePoint now = clock_.Now();
  while (std::coroutine_handle<> due = timers_.PopDue(now)) internal::Resume(due);
  return true;
}

void EventLoop::RunUntilFinished(internal::PromiseBase& task) {
  CheckThread("EventLoop::RunUntilComplete");
  CheckOpen("EventLoop::RunUntilComplete");
  if (running_) {
    throw std::logic_error(
        "EventLoop::RunUntilComplete: the loop is already running (inside a coroutine, "
        "co_await the task instead)");
  }
  CurrentScope scope(this);
  running_ = true;
  struct Stop {
    bool& running;
    ~Stop() { running = false; }
  } stop{running_};
  while (!task.finished()) {
    if (!RunOnce()) {
      throw DeadlockError(
          "EventLoop::RunUntilComplete: the task can never finish: no coroutine is ready, "
          "no timer is set and no file descriptor is watched");
    }
  }
}

std::size_t EventLoop::Close() {
  CheckThread("EventLoop::Close");
  if (running_) throw std::logic_error("EventLoop::Close: cannot close a running loop");
  if (closed_) return 0;
  CurrentScope scope(this);  // destructors below that reach for "the loop" find this one
  closing_ = true;
  // Nothing will be resumed again: forget every handle before any frame is destroyed.
  ready_ = {};
  timers_.Clear();
  fd_watches_ = {};
  watched_fds_ = 0;

  std::size_t unfinished = 0;
  while (unfinished_.linked()) {
    auto* task = static_cast<internal::PromiseBase*>(unfinished_.prev);  // newest first
    task->Unlink();
    task->MarkAbandoned();
    if (task->refs() > 1) task->InsertBefore(abandoned_);  // a Future will free it
    task->Release();  // the loop's reference: the frame is destroyed if it was the last
    ++unfinished;
  }
  ::close(epoll_fd_);
  epoll_fd_ = -1;
  closing_ = false;
  closed_ = true;
  return unfinished;
}

void SleepAwaiter::await_suspend(std::coroutine_handle<> coroutine) const {
  EventLoop& loop = CurrentLoop("coro::Sleep");
  if (duration_ <= Duration::zero()) {
    loop.Schedule(coroutine);
  } else {
    loop.ScheduleAt(loop.Now() + duration_, coroutine);
  }
}

void FdAwaiter::await_suspend(std::coroutine_handle<> coroutine) const {
  CurrentLoop("coro::Readable/Writable").WatchFd(fd_, readiness_, coroutine);
}

}  // namespace coro
