#include "coroutine/coro/event_loop.h"

#include <sys/epoll.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <sstream>
#include <string>
#include <system_error>

#include "absl/strings/str_format.h"
#include "common/lesson.h"
#include "common/message.h"
#include "common/trace.h"

namespace coro {
namespace {

using internal::PromiseBase;
using State = internal::PromiseBase::State;

// This thread's loop (see EventLoop::Current), and the one running now. One per thread.
thread_local EventLoop* current_loop = nullptr;
thread_local EventLoop* running_loop = nullptr;

// A traced run records at most this many tasks per loop: a million would make a trace
// of gigabytes that no viewer opens, and writing it would be most of the run.
constexpr std::uint64_t kTracedTasks = 1000;

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

std::int64_t Nanos(TimePoint t) { return t.time_since_epoch().count(); }

std::string DescribeDuration(Duration d) {
  const double ms = std::chrono::duration<double, std::milli>(d).count();
  return ms >= 1000 ? absl::StrFormat("sleep %g s", ms / 1000) : absl::StrFormat("sleep %g ms", ms);
}

// The trace entry of a task, or nullptr when it is not traced.
internal::TaskInfo* Traced(PromiseBase& task) {
  auto* info = const_cast<internal::TaskInfo*>(internal::FindTaskInfo(task));
  return info != nullptr && info->trace_id != 0 ? info : nullptr;
}

constexpr std::uint32_t kReadEvents = EPOLLIN | EPOLLRDHUP;
constexpr std::uint32_t kWriteEvents = EPOLLOUT;
constexpr std::uint32_t kTroubleEvents = EPOLLERR | EPOLLHUP;

}  // namespace

class EventLoop::CurrentScope {
 public:
  CurrentScope(EventLoop* loop, bool running)
      : loop_(loop),
        running_(running),
        previous_(std::exchange(current_loop, loop)),
        previous_running_(running ? std::exchange(running_loop, loop) : running_loop) {
    if (running_) loop_->running_ = true;
  }
  ~CurrentScope() {
    if (running_) loop_->running_ = false;
    current_loop = previous_;
    running_loop = previous_running_;
  }

 private:
  EventLoop* loop_;
  bool running_;
  EventLoop* previous_;
  EventLoop* previous_running_;
};

EventLoop::EventLoop() : EventLoop(RealClock::Instance()) {}

EventLoop::EventLoop(Clock& clock)
    : clock_(clock), owner_(std::this_thread::get_id()), tracing_(trace::Enabled()) {
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
EventLoop* EventLoop::Running() { return running_loop; }

EventLoop& CurrentLoop(const char* caller) {
  if (current_loop == nullptr) {
    Die(std::string(caller) + ": no EventLoop on this thread (create one, or use coro::Run)");
  }
  return *current_loop;
}

EventLoop& RunningLoop(const char* caller) {
  if (running_loop == nullptr) {
    Die(std::string(caller) + ": no EventLoop is running on this thread (co_await it from "
                              "a task the loop runs)");
  }
  return *running_loop;
}

void EventLoop::WrongThread(const char* what) const {
  Die(std::string(what) + ": called from thread " + ThreadName(std::this_thread::get_id()) +
      ", but this EventLoop belongs to thread " + ThreadName(owner_) +
      " (an EventLoop is single-threaded by design: see coroutine/coro/event_loop.h)");
}

void EventLoop::CheckOpen(const char* what) const {
  if (closed_ || closing_) throw std::logic_error(std::string(what) + ": the EventLoop is closed");
}

void EventLoop::CheckCanRun(const char* what) const {
  CheckThread(what);
  CheckOpen(what);
  if (running_) {
    throw std::logic_error(std::string(what) +
                           ": the loop is already running (inside a coroutine, co_await the "
                           "task instead)");
  }
}

std::size_t EventLoop::CountUnfinishedTasks() const {
  std::size_t count = 0;
  for (const internal::ListNode* n = unfinished_.next; n != &unfinished_; n = n->next) ++count;
  return count;
}

PromiseBase& EventLoop::current_task() const {
  if (current_ == nullptr) Die("coro: an awaiter was used outside a task the loop runs");
  return *current_;
}

// ----- Tasks ----------------------------------------------------------------------------

void EventLoop::Adopt(PromiseBase& task, std::string name) {
  task.spawned_ = true;
  task.AddRef();  // the loop's, until the task finishes
  task.AddRef();  // the Future's
  task.InsertBefore(unfinished_);
  task.resume_at_ = task.frame();  // its first step starts the body
  task.state_ = State::kReady;
  ready_.push_back(&task);
  ++tasks_created_;
  if (!name.empty()) internal::TaskInfoOf(task).name = std::move(name);
  if (tracing_ && tasks_created_ <= kTracedTasks) {
    internal::TaskInfo& info = internal::TaskInfoOf(task);
    if (info.name.empty()) info.name = absl::StrFormat("Task-%d", tasks_created_);
    info.trace_id = trace::NewId();
    trace::AsyncBegin(info.name, trace::kTask, info.trace_id);
    if (tasks_created_ == kTracedTasks) {
      trace::Instant(absl::StrFormat("trace: only the first %d tasks are traced", kTracedTasks));
    }
  }
}

void EventLoop::Step(PromiseBase& task) {
  current_ = &task;
  task.state_ = State::kRunning;
  if (task.must_cancel_ && !task.started_) {
    task.must_cancel_ = false;  // cancelled before it ever ran: it ends at its start
    internal::cancel_on_start = true;
  }
  task.started_ = true;
  internal::TaskInfo* info = tracing_ ? Traced(task) : nullptr;
  {
    std::optional<trace::Span> span;
    if (info != nullptr) {
      span.emplace(info->name, trace::kRun);
      if (info->flow_in != 0) trace::FlowIn("wakes", std::exchange(info->flow_in, 0));
    }
    internal::Resume(task.resume_at_);
  }
  current_ = nullptr;
  if (task.done()) {
    Finish(task);
  } else if (task.state_ == State::kRunning) {
    // It suspended on an awaiter that did not tell the loop: only that awaiter can wake
    // it (by resuming it, which this library never does), and nothing can cancel it.
    task.state_ = State::kWaiting;
    task.waiting_on_ = nullptr;
  }
}

void EventLoop::Finish(PromiseBase& task) {
  task.state_ = State::kFinished;
  task.Unlink();  // from the unfinished tasks
  if (internal::TaskInfo* info = tracing_ ? Traced(task) : nullptr) {
    if (task.exception()) {
      trace::AsyncInstant(task.cancelled() ? "cancelled" : "raised an exception", trace::kTask,
                          info->trace_id);
    }
    trace::AsyncEnd(info->name, trace::kTask, info->trace_id);
  }
  // Its waiters are told on the next iteration, in turn with the ready tasks: asyncio
  // schedules a future's done callbacks with call_soon. (Two tasks of a TaskGroup that
  // fail in the same iteration are both reported, not one failure and one cancelled.)
  ready_.push_back(&task);
}

void EventLoop::NotifyWaiters(PromiseBase& task) {
  // In a trace, telling the waiters is a span of its own on the loop's thread, the
  // start of the arrows to the tasks it wakes.
  std::optional<trace::Span> span;
  if (internal::TaskInfo* info = tracing_ && task.waiters_ != nullptr ? Traced(task) : nullptr) {
    span.emplace(info->name + ": ended, its waiters are told", trace::kRun);
  }
  notifying_ = &task;
  // Each waiter is taken off the list before it is told, so that it may unregister
  // others or wake tasks while the list is walked.
  while (internal::WaitNode* node = task.waiters_) {
    task.waiters_ = node->next;
    node->next = nullptr;
    node->waiter->OnTaskDone(task);
  }
  notifying_ = nullptr;
  span.reset();
  task.Release();  // the loop's reference; may free the frame
}

void EventLoop::RunNow(PromiseBase& task) {
  if (closing_ || closed_) return;
  if (task.state_ != State::kSleeping && task.state_ != State::kWaiting) return;
  if (tracing_) {
    TraceWaitEnd(task);
    TraceWakeArrow(task);
  }
  PromiseBase* notifying = std::exchange(notifying_, nullptr);
  Step(task);
  notifying_ = notifying;
}

void EventLoop::TraceWakeArrow(PromiseBase& wakee) {
  PromiseBase* waker = current_ != nullptr ? current_ : notifying_;
  internal::TaskInfo* to = Traced(wakee);
  internal::TaskInfo* from = waker != nullptr ? Traced(*waker) : nullptr;
  if (to == nullptr || from == nullptr || to->flow_in != 0) return;
  to->flow_in = trace::NewId();
  trace::FlowOut("wakes", to->flow_in);
}

void EventLoop::Suspend(std::coroutine_handle<> at, internal::Awaited* on) {
  PromiseBase& task = current_task();
  task.resume_at_ = at;
  task.state_ = State::kWaiting;
  task.waiting_on_ = on;
  if (tracing_ && on != nullptr) {
    TraceWaitBegin(task, on->Describe(), on->ForIo() ? trace::kIo : trace::kWait);
  }
  if (task.must_cancel_ && on != nullptr) {
    // Cancelled while it ran: asyncio cancels what it awaits next, at once.
    if (on->Cancel(task)) {
      Wake(task);  // must_cancel_ stays set: its co_await raises CancelledError
    } else {
      task.must_cancel_ = false;  // passed on to the awaited task
    }
  }
}

void EventLoop::Sleep(std::coroutine_handle<> at, Duration duration) {
  PromiseBase& task = current_task();
  task.resume_at_ = at;
  if (duration <= Duration::zero() || task.must_cancel_) {
    // asyncio.sleep(0) yields to the loop once. A cancelled task does not sleep at all:
    // it is resumed on the next iteration and its co_await raises.
    task.state_ = State::kReady;
    ready_.push_back(&task);
    return;
  }
  const TimePoint deadline = clock_.Now() + duration;
  task.state_ = State::kSleeping;
  task.wake_at_ns_ = Nanos(deadline);
  task.AddRef();  // the timer's, dropped when it comes out (it may outlive the sleep)
  timers_.Push(deadline, &task);
  if (tracing_) TraceWaitBegin(task, DescribeDuration(duration), trace::kSleep);
}

void EventLoop::Wake(PromiseBase& task) {
  if (closing_ || closed_) return;
  if (task.state_ != State::kSleeping && task.state_ != State::kWaiting) return;
  task.state_ = State::kReady;
  ready_.push_back(&task);
  if (tracing_) {
    TraceWaitEnd(task);
    TraceWakeArrow(task);
  }
}

bool EventLoop::Cancel(PromiseBase& task) {
  CheckThread("EventLoop::Cancel");
  if (!task.spawned_ || task.state_ == State::kFinished || task.done() || task.abandoned_) {
    return false;
  }
  if (task.cancel_requests_ < 255) ++task.cancel_requests_;
  if (internal::TaskInfo* info = tracing_ ? Traced(task) : nullptr) {
    trace::AsyncInstant("cancel requested", trace::kTask, info->trace_id);
  }
  if (task.state_ == State::kWaiting && task.waiting_on_ != nullptr) {
    if (!task.waiting_on_->Cancel(task)) return true;  // passed on; it keeps waiting
    task.must_cancel_ = true;
    Wake(task);
    return true;
  }
  task.must_cancel_ = true;
  if (task.state_ == State::kSleeping) Wake(task);  // its timer stays, ignored later
  return true;
}

// ----- One iteration ------------------------------------------------------------------

bool EventLoop::RunOnce(bool may_block) {
  if (ready_.empty() && timers_.empty() && watched_fds_ == 0) return false;

  // 1. Wait for I/O, but only as long as there is nothing else to do.
  Duration timeout = Duration::zero();
  if (ready_.empty() && may_block) {
    timeout = timers_.empty() ? Duration(-1) : clock_.IdleUntil(timers_.NextDeadline());
  }
  if (watched_fds_ > 0 || timeout != Duration::zero()) PollIo(timeout);

  // 2. Run the tasks that are ready now (including what I/O just made ready), but not
  //    those they wake: those wait for the next iteration, so no one starves the loop.
  for (std::size_t n = ready_.size(); n > 0; --n) {
    PromiseBase* task = ready_.front();
    ready_.pop_front();
    if (task->state_ == State::kFinished) {
      NotifyWaiters(*task);  // a task that ended on the previous iteration
    } else {
      Step(*task);
    }
  }

  // 3. The sleepers whose timers are due, in deadline order. A timer left behind by a
  //    cancelled sleep no longer matches its task's deadline: it is dropped. A new
  //    timer is always later than `now` (Sleep(0) goes to the ready queue), so this ends.
  const TimePoint now = clock_.Now();
  while (std::optional<TimerQueue<PromiseBase*>::Timer> due = timers_.PopDue(now)) {
    PromiseBase& task = *due->item;
    if (task.state_ == State::kSleeping && task.wake_at_ns_ == Nanos(due->deadline)) {
      if (tracing_) {
        TraceWaitEnd(task);
        if (internal::TaskInfo* info = Traced(task)) {
          trace::AsyncInstant("timer fired", trace::kSleep, info->trace_id);
        }
      }
      Step(task);
    }
    task.Release();  // the timer's reference
  }
  return true;
}

void EventLoop::RunUntilDone(PromiseBase& task) {
  CurrentScope scope(this, /*running=*/true);
  while (!task.done()) {
    if (!RunOnce(/*may_block=*/true)) {
      throw DeadlockError(
          "EventLoop::RunUntilComplete: the task can never finish: no task is ready, no "
          "timer is set and no file descriptor is watched");
    }
  }
  // asyncio's run_until_complete stops the loop from a callback of the finished future,
  // which runs on the next iteration: that whole iteration runs too.
  RunOnce(/*may_block=*/false);
}

std::size_t EventLoop::Shutdown() {
  CheckThread("EventLoop::Shutdown");
  if (closed_) return 0;
  std::vector<PromiseBase*> to_cancel;
  for (internal::ListNode* n = unfinished_.next; n != &unfinished_; n = n->next) {
    auto* task = static_cast<PromiseBase*>(n);
    task->AddRef();  // kept until we have read how it ended
    to_cancel.push_back(task);
  }
  for (PromiseBase* task : to_cancel) Cancel(*task);
  try {
    CurrentScope scope(this, /*running=*/true);
    auto all_done = [&] {
      for (PromiseBase* task : to_cancel) {
        if (!task->done()) return false;
      }
      return true;
    };
    while (!all_done() && RunOnce(/*may_block=*/true)) {
    }
    RunOnce(/*may_block=*/false);
  } catch (const std::exception& e) {
    lesson::WriteErrorLine(lesson::Format("coro::Run: shutting down the loop failed: %s", e.what()));
  }
  for (PromiseBase* task : to_cancel) {
    if (task->done() && task->exception() && !task->cancelled()) {
      task->MarkRetrieved();
      try {
        std::rethrow_exception(task->exception());
      } catch (const std::exception& e) {
        lesson::WriteErrorLine(
            lesson::Format("unhandled exception during coro::Run() shutdown: %s", e.what()));
      } catch (...) {
        lesson::WriteErrorLine(lesson::Tr("unhandled exception during coro::Run() shutdown"));
      }
    }
    task->Release();
  }
  Close();
  return to_cancel.size();
}

std::size_t EventLoop::Close() {
  CheckThread("EventLoop::Close");
  if (running_) throw std::logic_error("EventLoop::Close: cannot close a running loop");
  if (closed_) return 0;
  CurrentScope scope(this, /*running=*/false);  // destructors that reach for "the loop"
  closing_ = true;
  // Nothing will be resumed again: forget every scheduled resumption before any frame
  // is destroyed. Timers, and finished tasks whose waiters were not told yet, hold
  // references: drop them.
  for (PromiseBase* task : ready_) {
    if (task->state_ == State::kFinished) task->Release();
  }
  ready_ = {};
  while (std::optional<TimerQueue<PromiseBase*>::Timer> t = timers_.PopDue(TimePoint::max())) {
    t->item->Release();
  }
  timers_ = {};
  fd_watches_ = {};
  watched_fds_ = 0;

  std::size_t unfinished = 0;
  while (unfinished_.linked()) {
    auto* task = static_cast<PromiseBase*>(unfinished_.prev);  // newest first
    task->Unlink();
    task->abandoned_ = true;
    if (internal::TaskInfo* info = tracing_ ? Traced(*task) : nullptr) {
      TraceWaitEnd(*task);
      trace::AsyncInstant("destroyed by Close()", trace::kTask, info->trace_id);
      trace::AsyncEnd(info->name, trace::kTask, info->trace_id);
    }
    if (task->refs_ > 1) task->InsertBefore(abandoned_);  // a Future will free it
    task->Release();  // the loop's reference: the frame is destroyed if it was the last
    ++unfinished;
  }
  ::close(epoll_fd_);
  epoll_fd_ = -1;
  closing_ = false;
  closed_ = true;
  return unfinished;
}

// ----- I/O ------------------------------------------------------------------------------

void EventLoop::WatchFd(int fd, Readiness readiness) {
  CheckOpen("EventLoop::WatchFd");
  PromiseBase& task = current_task();
  if (fd < 0) throw std::system_error(EBADF, std::generic_category(), "EventLoop::WatchFd");
  if (static_cast<std::size_t>(fd) >= fd_watches_.size()) fd_watches_.resize(fd + 1);
  FdWatch& watch = fd_watches_[fd];
  PromiseBase*& slot = readiness == Readiness::kReadable ? watch.reader : watch.writer;
  if (slot != nullptr) {
    throw std::logic_error("EventLoop::WatchFd: another task already waits on fd " +
                           std::to_string(fd) + " for the same readiness");
  }
  slot = &task;
  ++watched_fds_;
  try {
    UpdateInterest(fd, watch);
  } catch (...) {
    slot = nullptr;
    --watched_fds_;
    throw;
  }
}

void EventLoop::UnwatchFd(int fd, Readiness readiness) {
  if (fd < 0 || static_cast<std::size_t>(fd) >= fd_watches_.size()) return;
  FdWatch& watch = fd_watches_[fd];
  PromiseBase*& slot = readiness == Readiness::kReadable ? watch.reader : watch.writer;
  if (slot == nullptr) return;
  slot = nullptr;
  --watched_fds_;
  try {
    UpdateInterest(fd, watch);
  } catch (const std::system_error&) {
    // The fd may be closed already; the kernel then dropped it from epoll itself.
  }
}

// Tells epoll exactly what the waiting tasks want for `fd`: nothing left means the fd is
// removed, so a closed and reused fd number never carries a stale registration long.
void EventLoop::UpdateInterest(int fd, FdWatch& watch) {
  const std::uint32_t wanted =
      (watch.reader ? kReadEvents : 0) | (watch.writer ? kWriteEvents : 0);
  if (wanted == watch.registered) return;
  epoll_event event{};
  event.events = wanted;
  event.data.fd = fd;
  if (wanted == 0) {
    // Ignore the result: if the fd was closed meanwhile, closing it removed it already.
    (void)::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, &event);
    watch.registered = 0;
    return;
  }
  int result;
  if (watch.registered == 0) {
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
      Wake(*std::exchange(watch.reader, nullptr));
      --watched_fds_;
    }
    if (watch.writer && (trouble || (happened & kWriteEvents))) {
      Wake(*std::exchange(watch.writer, nullptr));
      --watched_fds_;
    }
    UpdateInterest(fd, watch);
  }
}

// ----- Traces ---------------------------------------------------------------------------

void EventLoop::TraceWaitBegin(PromiseBase& task, std::string what, const char* state) {
  internal::TaskInfo* info = Traced(task);
  if (info == nullptr) return;
  info->wait_span = std::move(what);
  info->wait_state = state;
  trace::AsyncBegin(info->wait_span, state, info->trace_id);
}

void EventLoop::TraceWaitEnd(PromiseBase& task) {
  internal::TaskInfo* info = Traced(task);
  if (info == nullptr || info->wait_state == nullptr) return;
  trace::AsyncEnd(info->wait_span, info->wait_state, info->trace_id);
  info->wait_state = nullptr;
}

// ----- The awaiters -----------------------------------------------------------------------

void SleepAwaiter::await_suspend(std::coroutine_handle<> at) const noexcept {
  RunningLoop("coro::Sleep").Sleep(at, duration_);
}

void SleepAwaiter::await_resume() const {
  RunningLoop("coro::Sleep").current_task().ThrowIfCancelled();
}

void FdAwaiter::await_suspend(std::coroutine_handle<> at) {
  EventLoop& loop = RunningLoop("coro::Readable/Writable");
  loop.WatchFd(fd_, readiness_);
  task_ = &loop.current_task();
  loop.Suspend(at, this);
}

void FdAwaiter::await_resume() const {
  if (task_ != nullptr) task_->ThrowIfCancelled();
}

bool FdAwaiter::Cancel(internal::PromiseBase&) noexcept {
  if (EventLoop* loop = EventLoop::Running()) loop->UnwatchFd(fd_, readiness_);
  return true;
}

std::string FdAwaiter::Describe() const {
  return absl::StrFormat("wait until fd %d is %s", fd_,
                         readiness_ == EventLoop::Readiness::kReadable ? "readable" : "writable");
}

}  // namespace coro
