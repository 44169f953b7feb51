// EventLoop on a virtual clock: timers, interleaving, tasks, closing, fd readiness.
#include "coroutine/coro/event_loop.h"

#include <unistd.h>

#include <chrono>
#include <coroutine>
#include <stdexcept>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "coroutine/coro/clock.h"
#include "coroutine/coro/coro_testing.h"
#include "coroutine/coro/task.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace coro {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

// Records "what@seconds" with the loop's virtual time, e.g. "a1@1.5".
void Stamp(TimedLog* trace, const std::string& what) {
  (*trace)(absl::StrFormat("%s@%g", what, trace->Seconds()));
}

Task<void> SleepThreeTimes(TimedLog* trace) {
  for (int i = 1; i <= 3; ++i) {
    co_await Sleep(1s);
    Stamp(trace, "woke");
  }
}

// sleep(1s) x3 ends at exactly 1, 2 and 3 s of virtual time, without waiting for real.
TEST(EventLoopTest, SleepIsExactOnVirtualTime) {
  VirtualClock clock;
  EventLoop loop(clock);
  TimedLog trace(clock);
  loop.RunUntilComplete(SleepThreeTimes(&trace));
  EXPECT_THAT(trace.lines(), ElementsAre("woke@1", "woke@2", "woke@3"));
  EXPECT_EQ(clock.Elapsed(), 3s);
}

Task<void> SleepLong() { co_await Sleep(std::chrono::hours(10)); }

// Ten virtual hours pass in no real time (the test's timeout would catch a real wait).
TEST(EventLoopTest, VirtualHoursTakeNoRealTime) {
  VirtualClock clock;
  EventLoop loop(clock);
  loop.RunUntilComplete(SleepLong());
  EXPECT_EQ(clock.Elapsed(), std::chrono::hours(10));
}

Task<void> SleepAndRecord(TimedLog* trace, Duration d, std::string name) {
  co_await Sleep(d);
  Stamp(trace, name);
}

// Timers fire in deadline order whatever the order they were set in; ties in set order.
TEST(EventLoopTest, TimersFireInDeadlineOrder) {
  VirtualClock clock;
  EventLoop loop(clock);
  TimedLog trace(clock);
  std::vector<Future<void>> all;
  all.push_back(loop.CreateTask(SleepAndRecord(&trace, 3s, "c")));
  all.push_back(loop.CreateTask(SleepAndRecord(&trace, 1s, "a")));
  all.push_back(loop.CreateTask(SleepAndRecord(&trace, 2s, "b")));
  all.push_back(loop.CreateTask(SleepAndRecord(&trace, 1s, "a2")));
  for (const Future<void>& f : all) loop.RunUntilComplete(f);
  EXPECT_THAT(trace.lines(), ElementsAre("a@1", "a2@1", "b@2", "c@3"));
}

Task<void> Ticker(TimedLog* trace, std::string name, Duration period, int ticks) {
  for (int i = 0; i < ticks; ++i) {
    Stamp(trace, name + std::to_string(i));
    co_await Sleep(period);
  }
  Stamp(trace, name + " done");
}

// Two sleeping tasks interleave on one thread: the trace is the exact schedule. Both end
// at 3 s; b set its timer first (at 1.5 s, a at 2 s), so b finishes first.
TEST(EventLoopTest, SleepingTasksInterleave) {
  VirtualClock clock;
  EventLoop loop(clock);
  TimedLog trace(clock);
  Future<void> a = loop.CreateTask(Ticker(&trace, "a", 1s, 3));
  Future<void> b = loop.CreateTask(Ticker(&trace, "b", 1500ms, 2));
  loop.RunUntilComplete(a);
  loop.RunUntilComplete(b);
  EXPECT_THAT(trace.lines(),
              ElementsAre("a0@0", "b0@0", "a1@1", "b1@1.5", "a2@2", "b done@3", "a done@3"));
}

Task<void> Yielder(std::vector<std::string>* trace, std::string name) {
  for (int i = 0; i < 3; ++i) {
    trace->push_back(name + std::to_string(i));
    co_await Sleep(0s);  // asyncio.sleep(0): let the others run
  }
}

// Sleep(0) yields: ready tasks take turns, round-robin.
TEST(EventLoopTest, SleepZeroYieldsRoundRobin) {
  VirtualClock clock;
  EventLoop loop(clock);
  std::vector<std::string> trace;
  Future<void> a = loop.CreateTask(Yielder(&trace, "a"));
  Future<void> b = loop.CreateTask(Yielder(&trace, "b"));
  loop.RunUntilComplete(b);
  EXPECT_THAT(trace, ElementsAre("a0", "b0", "a1", "b1", "a2", "b2"));
  EXPECT_EQ(clock.Elapsed(), 0s);
}

Task<int> Record(std::vector<std::string>* trace, std::string what, int value) {
  trace->push_back(what);
  co_return value;
}

Task<int> CreatesAndAwaits(std::vector<std::string>* trace) {
  Future<int> child = CreateTask(Record(trace, "child runs", 7));
  trace->push_back("parent continues");  // create_task does not run the child yet
  int value = co_await child;
  trace->push_back("parent resumed");
  co_return value;
}

// create_task schedules: the child starts when the parent yields to the loop.
TEST(EventLoopTest, CreateTaskStartsOnALaterIteration) {
  VirtualClock clock;
  EventLoop loop(clock);
  std::vector<std::string> trace;
  EXPECT_EQ(loop.RunUntilComplete(CreatesAndAwaits(&trace)), 7);
  EXPECT_THAT(trace, ElementsAre("parent continues", "child runs", "parent resumed"));
}

// ensure_future wraps a Task, and returns a Future unchanged.
TEST(EventLoopTest, EnsureFuture) {
  VirtualClock clock;
  EventLoop loop(clock);
  std::vector<std::string> trace;
  Future<int> f = EnsureFuture(Record(&trace, "ran", 1));
  EXPECT_TRUE(EnsureFuture(f) == f);
  EXPECT_EQ(loop.RunUntilComplete(f), 1);
  EXPECT_THAT(trace, ElementsAre("ran"));
}

// EventLoop::Current(): the first loop of the thread, while it lives.
TEST(EventLoopTest, CurrentLoop) {
  EXPECT_EQ(EventLoop::Current(), nullptr);
  {
    VirtualClock clock;
    EventLoop loop(clock);
    EXPECT_EQ(EventLoop::Current(), &loop);
  }
  EXPECT_EQ(EventLoop::Current(), nullptr);
}

Task<void> NeverWoken() { co_await std::suspend_always{}; }

// A task that can never finish is reported, not waited for forever.
TEST(EventLoopTest, DeadlockIsReported) {
  VirtualClock clock;
  EventLoop loop(clock);
  try {
    loop.RunUntilComplete(NeverWoken());
    FAIL() << "expected DeadlockError";
  } catch (const DeadlockError& e) {
    EXPECT_THAT(e.what(), HasSubstr("can never finish"));
  }
}

Task<void> RunsTheLoopAgain(EventLoop* loop) {
  co_await Sleep(1s);
  loop->RunUntilComplete(SleepLong());
}

Task<void> ClosesTheLoop(EventLoop* loop) {
  loop->Close();
  co_return;
}

// The loop is not reentrant, and cannot be closed from inside.
TEST(EventLoopTest, NotReentrant) {
  VirtualClock clock;
  EventLoop loop(clock);
  EXPECT_THROW(loop.RunUntilComplete(RunsTheLoopAgain(&loop)), std::logic_error);
  EXPECT_THROW(loop.RunUntilComplete(ClosesTheLoop(&loop)), std::logic_error);
  EXPECT_FALSE(loop.is_running());
}

struct Counted {
  std::vector<std::string>* log;
  std::string name;
  ~Counted() { log->push_back(name); }
};

Task<void> HoldsLocals(std::vector<std::string>* log, std::string name, Duration d) {
  Counted local{log, name};
  co_await Sleep(d);
  log->push_back(name + " finished");
}

Task<void> Nested(std::vector<std::string>* log) {
  Counted outer{log, "outer"};
  co_await HoldsLocals(log, "inner", 1h);
}

Task<void> SleepFor(Duration d) { co_await Sleep(d); }

// Close() destroys unfinished tasks newest first, running their locals' destructors
// (nested awaited tasks included), resumes nothing, and leaks nothing (ASan checks).
TEST(EventLoopTest, CloseDestroysUnfinishedTasks) {
  VirtualClock clock;
  std::vector<std::string> log;
  EventLoop loop(clock);
  (void)loop.CreateTask(HoldsLocals(&log, "first", 1h));
  (void)loop.CreateTask(Nested(&log));
  (void)loop.CreateTask(HoldsLocals(&log, "quick", 1s));
  (void)loop.CreateTask(HoldsLocals(&log, "last", 1h));
  loop.RunUntilComplete(SleepFor(2s));
  EXPECT_THAT(log, ElementsAre("quick finished", "quick"));
  EXPECT_EQ(loop.CountUnfinishedTasks(), 3u);
  log.clear();
  EXPECT_EQ(loop.Close(), 3u);
  EXPECT_THAT(log, ElementsAre("last", "inner", "outer", "first"));
  EXPECT_EQ(loop.Close(), 0u);  // idempotent
  EXPECT_TRUE(loop.is_closed());
}

// The destructor closes the loop too.
TEST(EventLoopTest, DestructorCloses) {
  VirtualClock clock;
  std::vector<std::string> log;
  {
    EventLoop loop(clock);
    (void)loop.CreateTask(HoldsLocals(&log, "pending", 1h));
    loop.RunUntilComplete(SleepFor(1s));
  }
  EXPECT_THAT(log, ElementsAre("pending"));
}

// A task still held by a Future at Close() is kept, reports it never finished, and is
// freed with the last Future, even after the loop itself is gone.
TEST(EventLoopTest, FutureOfAClosedLoop) {
  VirtualClock clock;
  std::vector<std::string> log;
  Future<void> outlives;
  {
    EventLoop loop(clock);
    Future<void> held = loop.CreateTask(HoldsLocals(&log, "held", 1h));
    outlives = loop.CreateTask(HoldsLocals(&log, "outlives", 1h));
    loop.RunUntilComplete(SleepFor(1s));
    EXPECT_EQ(loop.Close(), 2u);
    EXPECT_TRUE(log.empty());  // both still referenced
    EXPECT_FALSE(held.done());
    try {
      held.Result();
      FAIL() << "expected InvalidStateError";
    } catch (const InvalidStateError& e) {
      EXPECT_THAT(e.what(), HasSubstr("loop was closed"));
    }
    held = Future<void>();
    EXPECT_THAT(log, ElementsAre("held"));
  }
  outlives = Future<void>();
  EXPECT_THAT(log, ElementsAre("held", "outlives"));
}

// A closed loop refuses new work.
TEST(EventLoopTest, ClosedLoopRefusesWork) {
  VirtualClock clock;
  EventLoop loop(clock);
  loop.Close();
  EXPECT_THROW((void)loop.CreateTask(SleepFor(1s)), std::logic_error);
  EXPECT_THROW(loop.RunUntilComplete(SleepFor(1s)), std::logic_error);
}

Task<int> MainWithStraggler(std::vector<std::string>* log) {
  (void)CreateTask(HoldsLocals(log, "straggler", 1h));
  co_await Sleep(1s);
  co_return 5;
}

// Run(main) = asyncio.run: a fresh loop, main's result, leftovers destroyed.
TEST(EventLoopTest, RunReturnsAndCleansUp) {
  VirtualClock clock;
  std::vector<std::string> log;
  EXPECT_EQ(coro::Run(MainWithStraggler(&log), clock), 5);
  EXPECT_THAT(log, ElementsAre("straggler"));
  EXPECT_EQ(EventLoop::Current(), nullptr);
}

Task<std::string> ReadWhenReadable(int fd, TimedLog* trace) {
  co_await Readable(fd);
  Stamp(trace, "readable");
  char buffer[16];
  ssize_t n = ::read(fd, buffer, sizeof buffer);
  co_return std::string(buffer, n > 0 ? static_cast<size_t>(n) : 0);
}

Task<void> WriteLater(int fd, Duration d) {
  co_await Sleep(d);
  co_await Writable(fd);
  (void)!::write(fd, "ping", 4);
}

// fd readiness through epoll: the reader wakes when the writer has written.
TEST(EventLoopTest, WaitsForFdReadiness) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  VirtualClock clock;
  TimedLog trace(clock);
  {
    EventLoop loop(clock);
    Future<std::string> reader = loop.CreateTask(ReadWhenReadable(fds[0], &trace));
    (void)loop.CreateTask(WriteLater(fds[1], 1s));
    EXPECT_EQ(loop.RunUntilComplete(reader), "ping");
  }
  EXPECT_THAT(trace.lines(), ElementsAre("readable@1"));
  ::close(fds[0]);
  ::close(fds[1]);
}

Task<void> WaitReadable(int fd) { co_await Readable(fd); }

// One reader per fd: a second is refused at its co_await; Close() drops the watch.
TEST(EventLoopTest, OneReaderPerFd) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  {
    VirtualClock clock;
    EventLoop loop(clock);
    (void)loop.CreateTask(WaitReadable(fds[0]));
    EXPECT_THROW(loop.RunUntilComplete(WaitReadable(fds[0])), std::logic_error);
  }
  ::close(fds[0]);
  ::close(fds[1]);
}

}  // namespace

namespace {

Task<void> Fails() {
  throw std::runtime_error("lost");
  co_return;
}

// A failed task nobody reads warns once, on standard error, naming the exception; an
// unnamed task is described as such.
TEST(EventLoopTest, UnretrievedFailureOfAnUnnamedTaskIsReported) {
  VirtualClock clock;
  ::testing::internal::CaptureStderr();
  {
    EventLoop loop(clock);
    (void)loop.CreateTask(Fails());
    loop.RunUntilComplete(SleepFor(1s));
  }
  EXPECT_THAT(
      ::testing::internal::GetCapturedStderr(),
      HasSubstr("Task exception was never retrieved: a task raised std::runtime_error: lost"));
}

// A failure that was read (Result) is not reported.
TEST(EventLoopTest, RetrievedFailureIsNotReported) {
  VirtualClock clock;
  ::testing::internal::CaptureStderr();
  {
    EventLoop loop(clock);
    Future<void> f = loop.CreateTask(Fails());
    EXPECT_THROW(loop.RunUntilComplete(f), std::runtime_error);
  }
  EXPECT_EQ(::testing::internal::GetCapturedStderr(), "");
}

Task<void> FailsWhenCancelled() {
  try {
    co_await Sleep(1h);
  } catch (const CancelledError&) {
  }
  throw std::runtime_error("broke while cleaning up");
}

Task<void> LeavesAFailingTask() {
  (void)CreateTask(FailsWhenCancelled());
  co_await Sleep(1s);
}

// Run's shutdown reports a task that ended with another exception than CancelledError.
TEST(EventLoopTest, RunReportsAFailureDuringShutdown) {
  VirtualClock clock;
  ::testing::internal::CaptureStderr();
  coro::Run(LeavesAFailingTask(), clock);
  const std::string err = ::testing::internal::GetCapturedStderr();
  EXPECT_THAT(err, HasSubstr("unhandled exception during coro::Run() shutdown: broke while "
                             "cleaning up"));
  EXPECT_THAT(err, ::testing::Not(HasSubstr("never retrieved")));
}

}  // namespace
}  // namespace coro
