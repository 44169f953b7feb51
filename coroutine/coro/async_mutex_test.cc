// The async race (read, await, write on one thread) and AsyncMutex, on virtual time.
#include "coroutine/coro/async_mutex.h"

#include <chrono>
#include <string>
#include <vector>

#include "coroutine/coro/clock.h"
#include "coroutine/coro/event_loop.h"
#include "coroutine/coro/gather_and_wait.h"
#include "coroutine/coro/task.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace coro {
namespace {

using ::testing::ElementsAre;
using namespace std::chrono_literals;

Task<void> IncrementWithAwait(int* counter, int times, AsyncMutex* mutex) {
  for (int i = 0; i < times; ++i) {
    AsyncMutex::Guard guard;
    if (mutex != nullptr) guard = co_await mutex->Lock();
    int seen = *counter;
    co_await Sleep(1ms);  // "I/O" between the read and the write
    *counter = seen + 1;
  }
}

Task<void> Race(int* counter, int workers, int times, AsyncMutex* mutex) {
  std::vector<Task<void>> tasks;
  for (int w = 0; w < workers; ++w) tasks.push_back(IncrementWithAwait(counter, times, mutex));
  co_await Gather(std::move(tasks));
}

// One thread, no lock, an await between read and write: updates are lost. With all
// workers taking turns, each round of 4 increments nets 1.
TEST(AsyncMutexTest, RaceLosesUpdatesWithoutTheLock) {
  VirtualClock clock;
  EventLoop loop(clock);
  int counter = 0;
  loop.RunUntilComplete(Race(&counter, 4, 100, nullptr));
  EXPECT_EQ(counter, 100);  // not 400
}

// With the AsyncMutex every update survives.
TEST(AsyncMutexTest, LockKeepsEveryUpdate) {
  VirtualClock clock;
  EventLoop loop(clock);
  int counter = 0;
  AsyncMutex mutex;
  loop.RunUntilComplete(Race(&counter, 4, 100, &mutex));
  EXPECT_EQ(counter, 400);
  EXPECT_FALSE(mutex.is_locked());
  EXPECT_EQ(clock.Elapsed(), 400ms);  // the sections ran one at a time
}

Task<void> TakeInTurn(AsyncMutex* mutex, std::vector<std::string>* order, std::string name) {
  AsyncMutex::Guard guard = co_await mutex->Lock();
  order->push_back(name);
  co_await Sleep(1s);
}

Task<void> Queue(AsyncMutex* mutex, std::vector<std::string>* order) {
  co_await Gather(TakeInTurn(mutex, order, "a"), TakeInTurn(mutex, order, "b"),
                  TakeInTurn(mutex, order, "c"));
}

// Waiters get the mutex in arrival order.
TEST(AsyncMutexTest, FairFifoHandOff) {
  VirtualClock clock;
  EventLoop loop(clock);
  AsyncMutex mutex;
  std::vector<std::string> order;
  loop.RunUntilComplete(Queue(&mutex, &order));
  EXPECT_THAT(order, ElementsAre("a", "b", "c"));
  EXPECT_EQ(clock.Elapsed(), 3s);
}

// TryLock/Unlock without coroutines.
TEST(AsyncMutexTest, TryLock) {
  AsyncMutex mutex;
  EXPECT_TRUE(mutex.TryLock());
  EXPECT_FALSE(mutex.TryLock());
  mutex.Unlock();
  EXPECT_TRUE(mutex.TryLock());
  mutex.Unlock();
}

Task<void> HoldForever(AsyncMutex* mutex) {
  AsyncMutex::Guard guard = co_await mutex->Lock();
  co_await Sleep(std::chrono::hours(1));
}

Task<void> LockTwice(AsyncMutex* mutex) {
  AsyncMutex::Guard first = co_await mutex->Lock();
  AsyncMutex::Guard second = co_await mutex->Lock();  // waits for itself
}

Task<void> SleepFor(Duration d) { co_await Sleep(d); }

// Closing the loop with coroutines queued on the mutex frees them and empties the queue.
TEST(AsyncMutexTest, CloseWithWaiters) {
  AsyncMutex mutex;  // outlives the loop's coroutines
  VirtualClock clock;
  EventLoop loop(clock);
  (void)loop.CreateTask(HoldForever(&mutex));
  (void)loop.CreateTask(TakeInTurn(&mutex, nullptr, "never"));
  (void)loop.CreateTask(TakeInTurn(&mutex, nullptr, "never"));
  loop.RunUntilComplete(SleepFor(1s));
  EXPECT_EQ(loop.Close(), 3u);
}

// Awaiting a mutex you hold yourself is a deadlock; the loop reports it.
TEST(AsyncMutexTest, SelfDeadlockIsReported) {
  VirtualClock clock;
  EventLoop loop(clock);
  AsyncMutex mutex;
  EXPECT_THROW(loop.RunUntilComplete(LockTwice(&mutex)), DeadlockError);
}

}  // namespace
}  // namespace coro
