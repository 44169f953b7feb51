// Gather (results in order, first exception) and Wait (done/pending) on virtual time.
#include "coroutine/coro/gather_and_wait.h"

#include <chrono>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "coroutine/coro/clock.h"
#include "coroutine/coro/event_loop.h"
#include "coroutine/coro/task.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace coro {
namespace {

using ::testing::ElementsAre;
using namespace std::chrono_literals;

Task<int> After(Duration d, int value, std::vector<int>* finished = nullptr) {
  co_await Sleep(d);
  if (finished != nullptr) finished->push_back(value);
  co_return value;
}

Task<int> FailAfter(Duration d, std::string message) {
  co_await Sleep(d);
  throw std::runtime_error(message);
}

Task<std::vector<int>> GatherThree(std::vector<int>* finished) {
  co_return co_await Gather(After(3s, 30, finished), After(1s, 10, finished),
                            After(2s, 20, finished));
}

// Results come back in argument order, though the tasks finished 10, 20, 30; they ran
// concurrently: 3 s in all, not 6.
TEST(GatherTest, ResultsInArgumentOrder) {
  VirtualClock clock;
  EventLoop loop(clock);
  std::vector<int> finished;
  EXPECT_THAT(loop.RunUntilComplete(GatherThree(&finished)), ElementsAre(30, 10, 20));
  EXPECT_THAT(finished, ElementsAre(10, 20, 30));
  EXPECT_EQ(clock.Elapsed(), 3s);
}

Task<void> Nap(Duration d, int* counter) {
  co_await Sleep(d);
  ++*counter;
}

Task<void> GatherVoid(int* counter) {
  std::vector<Task<void>> naps;
  for (int i = 0; i < 100; ++i) naps.push_back(Nap(1s, counter));
  co_await Gather(std::move(naps));
}

// Gathering void tasks waits for all of them.
TEST(GatherTest, VoidTasks) {
  VirtualClock clock;
  EventLoop loop(clock);
  int counter = 0;
  loop.RunUntilComplete(GatherVoid(&counter));
  EXPECT_EQ(counter, 100);
  EXPECT_EQ(clock.Elapsed(), 1s);
}

Task<std::vector<int>> GatherWithFailures(std::vector<int>* finished) {
  co_return co_await Gather(After(5s, 1, finished), FailAfter(3s, "second"),
                            FailAfter(2s, "first"));
}

// The first exception to happen propagates as soon as it happens (at 2 s); the other
// tasks are not cancelled and keep running on the loop.
TEST(GatherTest, FirstExceptionPropagates) {
  VirtualClock clock;
  EventLoop loop(clock);
  std::vector<int> finished;
  try {
    loop.RunUntilComplete(GatherWithFailures(&finished));
    FAIL() << "expected an exception";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "first");
  }
  EXPECT_EQ(clock.Elapsed(), 2s);
  EXPECT_TRUE(finished.empty());
  loop.RunUntilComplete(After(10s, 0));
  EXPECT_THAT(finished, ElementsAre(1));  // the survivor ran to its end
}

Task<std::vector<int>> GatherFutures(std::vector<Future<int>> futures) {
  co_return co_await Gather(std::move(futures));
}

// Gather over Futures (some already done) copies their results; the Futures keep them.
TEST(GatherTest, OverFutures) {
  VirtualClock clock;
  EventLoop loop(clock);
  std::vector<Future<int>> futures = {loop.CreateTask(After(2s, 2)), loop.CreateTask(After(0s, 1))};
  loop.RunUntilComplete(futures[1]);
  EXPECT_THAT(loop.RunUntilComplete(GatherFutures(futures)), ElementsAre(2, 1));
  EXPECT_EQ(futures[0].Result(), 2);
}

Task<WaitResult<int>> WaitFor(std::vector<Future<int>> futures, ReturnWhen when) {
  co_return co_await Wait(std::move(futures), when);
}

// A WaitResult with `done` futures in done and `pending` in pending.
MATCHER_P2(Partitions, done, pending,
           absl::StrFormat("has %d done and %d pending", done, pending)) {
  *result_listener << "has " << arg.done.size() << " done and " << arg.pending.size() << " pending";
  return arg.done.size() == static_cast<std::size_t>(done) &&
         arg.pending.size() == static_cast<std::size_t>(pending);
}

std::vector<Future<int>> ThreeTasks(EventLoop& loop) {
  return {loop.CreateTask(After(3s, 3)), loop.CreateTask(After(1s, 1)),
          loop.CreateTask(After(2s, 2))};
}

// FIRST_COMPLETED: back at 1 s with one done and two pending, in argument order.
TEST(WaitTest, FirstCompleted) {
  VirtualClock clock;
  EventLoop loop(clock);
  std::vector<Future<int>> all = ThreeTasks(loop);
  WaitResult<int> r = loop.RunUntilComplete(WaitFor(all, ReturnWhen::kFirstCompleted));
  EXPECT_EQ(clock.Elapsed(), 1s);
  ASSERT_THAT(r, Partitions(1, 2));
  EXPECT_TRUE(r.done[0] == all[1]);
  EXPECT_EQ(r.done[0].Result(), 1);
  EXPECT_TRUE(r.pending[0] == all[0]);
  EXPECT_TRUE(r.pending[1] == all[2]);
  // The pending ones are still running; waiting again collects them.
  r = loop.RunUntilComplete(WaitFor(r.pending, ReturnWhen::kAllCompleted));
  EXPECT_THAT(r, Partitions(2, 0));
  EXPECT_EQ(clock.Elapsed(), 3s);
}

// ALL_COMPLETED: everything done, nothing pending.
TEST(WaitTest, AllCompleted) {
  VirtualClock clock;
  EventLoop loop(clock);
  WaitResult<int> r = loop.RunUntilComplete(WaitFor(ThreeTasks(loop), ReturnWhen::kAllCompleted));
  EXPECT_THAT(r, Partitions(3, 0));
  EXPECT_EQ(clock.Elapsed(), 3s);
}

// Wait never throws a task's exception: the failed task is simply in `done`.
TEST(WaitTest, ExceptionsStayInTheFutures) {
  VirtualClock clock;
  EventLoop loop(clock);
  std::vector<Future<int>> all = {loop.CreateTask(After(5s, 5)),
                                  loop.CreateTask(FailAfter(1s, "boom"))};
  WaitResult<int> r = loop.RunUntilComplete(WaitFor(all, ReturnWhen::kFirstException));
  EXPECT_EQ(clock.Elapsed(), 1s);
  ASSERT_THAT(r, Partitions(1, 1));
  EXPECT_THROW(r.done[0].Result(), std::runtime_error);
}

Task<WaitResult<int>> WaitForTasks() {
  std::vector<Task<int>> tasks;
  tasks.push_back(After(2s, 2));
  tasks.push_back(After(1s, 1));
  co_return co_await Wait(std::move(tasks), ReturnWhen::kFirstCompleted);
}

// Wait over Tasks wraps them first; the unfinished one is still pending afterwards.
TEST(WaitTest, OverTasks) {
  VirtualClock clock;
  EventLoop loop(clock);
  WaitResult<int> r = loop.RunUntilComplete(WaitForTasks());
  ASSERT_THAT(r, Partitions(1, 1));
  EXPECT_EQ(r.done[0].Result(), 1);
  EXPECT_EQ(loop.RunUntilComplete(r.pending[0]), 2);
}

// Closing the loop while a Gather waits frees everything (ASan checks for leaks).
TEST(GatherTest, CloseWhileGathering) {
  VirtualClock clock;
  EventLoop loop(clock);
  std::vector<int> finished;
  (void)loop.CreateTask(GatherThree(&finished));
  loop.RunUntilComplete(After(1500ms, 0));
  EXPECT_THAT(finished, ElementsAre(10));
  EXPECT_EQ(loop.Close(), 3u);  // the gather and its two unfinished children
}

}  // namespace
}  // namespace coro
