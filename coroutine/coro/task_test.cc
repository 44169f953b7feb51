// Task<T> and Future<T> on an EventLoop with a virtual clock.
#include "coroutine/coro/task.h"

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "coroutine/coro/clock.h"
#include "coroutine/coro/event_loop.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace coro {
namespace {

using ::testing::ElementsAre;
using namespace std::chrono_literals;

Task<int> Constant(int value, std::vector<std::string>* trace) {
  trace->push_back("run " + std::to_string(value));
  co_return value;
}

Task<int> AddTwo(std::vector<std::string>* trace) {
  int a = co_await Constant(1, trace);
  int b = co_await Constant(2, trace);
  co_return a + b;
}

// A Task runs nothing until awaited; awaiting returns its co_return value.
TEST(TaskTest, LazyAndReturnsItsValue) {
  VirtualClock clock;
  EventLoop loop(clock);
  std::vector<std::string> trace;
  Task<int> task = AddTwo(&trace);
  EXPECT_TRUE(trace.empty());
  EXPECT_EQ(loop.RunUntilComplete(std::move(task)), 3);
  EXPECT_THAT(trace, ElementsAre("run 1", "run 2"));
}

Task<int> Fails() {
  co_await Sleep(1s);
  throw std::runtime_error("task failed");
}

Task<std::string> CatchesChild() {
  try {
    co_await Fails();
  } catch (const std::runtime_error& e) {
    co_return std::string("caught: ") + e.what();
  }
  co_return "not thrown";
}

// An exception travels from the child through `co_await` to the parent, and out of
// RunUntilComplete when nobody catches it.
TEST(TaskTest, ExceptionsPropagate) {
  VirtualClock clock;
  EventLoop loop(clock);
  EXPECT_EQ(loop.RunUntilComplete(CatchesChild()), "caught: task failed");
  EXPECT_THROW(loop.RunUntilComplete(Fails()), std::runtime_error);
}

Task<void> Leaf(long* counter) {
  ++*counter;
  co_return;
}

Task<long> ManyAwaitsInALoop(long n) {
  long counter = 0;
  for (long i = 0; i < n; ++i) co_await Leaf(&counter);
  co_return counter;
}

// Symmetric transfer: a million synchronous awaits in a loop use constant stack. Without
// it each await nests resume() calls and this overflows an 8 MB stack (checked by hand
// with a plain `return child` transfer at -O0).
TEST(TaskTest, LongAwaitLoopDoesNotGrowTheStack) {
  VirtualClock clock;
  EventLoop loop(clock);
  EXPECT_EQ(loop.RunUntilComplete(ManyAwaitsInALoop(1'000'000)), 1'000'000);
}

Task<long> Deep(long depth) {
  if (depth == 0) co_return 0;
  co_return 1 + co_await Deep(depth - 1);
}

// ...and so does a chain of a million coroutines each awaiting the next.
TEST(TaskTest, DeepAwaitChainDoesNotGrowTheStack) {
  VirtualClock clock;
  EventLoop loop(clock);
  EXPECT_EQ(loop.RunUntilComplete(Deep(1'000'000)), 1'000'000);
}

Task<std::unique_ptr<int>> MoveOnly(int v) { co_return std::make_unique<int>(v); }

// Results may be move-only.
TEST(TaskTest, MoveOnlyResult) {
  VirtualClock clock;
  EventLoop loop(clock);
  std::unique_ptr<int> p = loop.RunUntilComplete(MoveOnly(7));
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(*p, 7);
}

Task<int> SleepThenReturn(Duration d, int value) {
  co_await Sleep(d);
  co_return value;
}

// A Future reports done(), gives Result(), and keeps the result after the loop is done.
TEST(FutureTest, DoneAndResult) {
  VirtualClock clock;
  EventLoop loop(clock);
  Future<int> f = loop.CreateTask(SleepThenReturn(1s, 42));
  EXPECT_FALSE(f.done());
  EXPECT_THROW(f.Result(), InvalidStateError);
  EXPECT_EQ(loop.RunUntilComplete(f), 42);
  EXPECT_TRUE(f.done());
  EXPECT_EQ(f.Result(), 42);
  EXPECT_EQ(f.Exception(), nullptr);
  EXPECT_EQ(clock.Elapsed(), 1s);
}

Task<int> AwaitTwice(Future<int> f) {
  int a = co_await f;
  int b = co_await f;  // already done: no suspension
  co_return a + b;
}

Task<int> AwaitOnce(Future<int> f) { co_return co_await f; }

// Several coroutines may await one Future, and one may await it twice.
TEST(FutureTest, ManyAwaiters) {
  VirtualClock clock;
  EventLoop loop(clock);
  Future<int> f = loop.CreateTask(SleepThenReturn(1s, 5));
  Future<int> a = loop.CreateTask(AwaitOnce(f));
  Future<int> b = loop.CreateTask(AwaitOnce(f));
  Future<int> c = loop.CreateTask(AwaitTwice(f));
  EXPECT_EQ(loop.RunUntilComplete(c), 10);
  EXPECT_EQ(loop.RunUntilComplete(a), 5);
  EXPECT_EQ(loop.RunUntilComplete(b), 5);
}

// A failed task's Future rethrows from Result() and from co_await, and exposes Exception().
TEST(FutureTest, FailedTask) {
  VirtualClock clock;
  EventLoop loop(clock);
  Future<int> f = loop.CreateTask(Fails());
  EXPECT_THROW(loop.RunUntilComplete(f), std::runtime_error);
  EXPECT_TRUE(f.done());
  EXPECT_NE(f.Exception(), nullptr);
  EXPECT_THROW(f.Result(), std::runtime_error);
  EXPECT_THROW(loop.RunUntilComplete(AwaitOnce(f)), std::runtime_error);
}

struct Counted {
  int* destroyed;
  ~Counted() { ++*destroyed; }
};

Task<void> HoldAndSleep(int* destroyed, Duration d) {
  Counted local{destroyed};
  co_await Sleep(d);
}

// A task whose Future was dropped still runs to the end; its frame is freed then.
TEST(FutureTest, FireAndForgetRunsAndIsFreed) {
  VirtualClock clock;
  EventLoop loop(clock);
  int destroyed = 0;
  (void)loop.CreateTask(HoldAndSleep(&destroyed, 1s));
  EXPECT_EQ(loop.CountUnfinishedTasks(), 1u);
  loop.RunUntilComplete(SleepThenReturn(2s, 0));
  EXPECT_EQ(destroyed, 1);
  EXPECT_EQ(loop.CountUnfinishedTasks(), 0u);
}

// Copies share the task; equality is identity.
TEST(FutureTest, CopiesShareTheTask) {
  VirtualClock clock;
  EventLoop loop(clock);
  Future<int> f = loop.CreateTask(SleepThenReturn(1s, 3));
  Future<int> g = f;
  EXPECT_TRUE(f == g);
  EXPECT_FALSE(f == loop.CreateTask(SleepThenReturn(1s, 3)));
  loop.RunUntilComplete(f);
  EXPECT_EQ(g.Result(), 3);
}

}  // namespace
}  // namespace coro
