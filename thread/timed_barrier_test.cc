#include "thread/timed_barrier.h"

#include <atomic>
#include <chrono>
#include <functional>
#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace {

using std::chrono::milliseconds;
using threading::BarrierResult;
using threading::TimedBarrier;

constexpr auto kForever = std::chrono::hours(1);  // A timeout no test ever reaches.

// Polls `done` until it holds or 30 s pass; a bound no loaded machine reaches.
bool Eventually(const std::function<bool()>& done) {
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!done()) {
    if (std::chrono::steady_clock::now() > give_up) return false;
    std::this_thread::sleep_for(milliseconds(1));
  }
  return true;
}

// A full group passes; the barrier is then ready for the next group, many times over.
TEST(TimedBarrierTest, GroupsPassRepeatedly) {
  TimedBarrier barrier(3);
  std::atomic<int> passed = 0;
  {
    std::vector<std::jthread> threads;
    for (int i = 0; i < 3; ++i) {
      threads.emplace_back([&] {
        for (int round = 0; round < 100; ++round) {
          if (barrier.WaitFor(kForever) == BarrierResult::kPassed) ++passed;
        }
      });
    }
  }
  EXPECT_EQ(passed, 300);
  EXPECT_EQ(barrier.waiting(), 0);
}

// What one thread wrote before arriving, another reads after passing (no race for TSan).
TEST(TimedBarrierTest, PassingPublishesEarlierWrites) {
  TimedBarrier barrier(2);
  int written_before = 0;  // Plain int: only the barrier orders the write and the read.
  int seen = -1;
  std::jthread writer([&] {
    written_before = 7;
    barrier.Wait();
  });
  std::jthread reader([&] {
    barrier.Wait();
    seen = written_before;
  });
  writer.join();
  reader.join();
  EXPECT_EQ(seen, 7);
}

// The tutorial's case, Barrier(3) with 5 threads: the first three pass together; the
// last two can never make a group, and are released at their deadline, told so.
TEST(TimedBarrierTest, ReleasesExactlyTheRightWaiters) {
  TimedBarrier barrier(3);
  std::vector<BarrierResult> results(5);
  {
    // The first three arrive with no deadline at all: only a full group lets them out.
    std::vector<std::jthread> group;
    for (int i = 0; i < 3; ++i) {
      group.emplace_back([&, i] { results[i] = barrier.WaitFor(kForever); });
    }
  }
  const auto start = std::chrono::steady_clock::now();
  {
    std::vector<std::jthread> leftovers;
    for (int i = 3; i < 5; ++i) {
      leftovers.emplace_back([&, i] { results[i] = barrier.WaitFor(milliseconds(100)); });
    }
  }
  EXPECT_GE(std::chrono::steady_clock::now() - start, milliseconds(100));
  for (int i = 0; i < 3; ++i) EXPECT_EQ(results[i], BarrierResult::kPassed) << i;
  for (int i = 3; i < 5; ++i) EXPECT_EQ(results[i], BarrierResult::kTimedOut) << i;
  EXPECT_EQ(barrier.waiting(), 0);  // Both withdrew.
  EXPECT_FALSE(barrier.broken());
}

// A timed-out waiter withdraws: the barrier still needs a full group afterwards.
TEST(TimedBarrierTest, TimeoutWithdrawsOnlyThatWaiter) {
  TimedBarrier barrier(2);
  EXPECT_EQ(barrier.WaitFor(milliseconds(1)), BarrierResult::kTimedOut);
  EXPECT_EQ(barrier.waiting(), 0);
  BarrierResult first = BarrierResult::kBroken;
  std::jthread waiter([&] { first = barrier.WaitFor(kForever); });
  ASSERT_TRUE(Eventually([&] { return barrier.waiting() == 1; }));
  EXPECT_EQ(barrier.WaitFor(kForever), BarrierResult::kPassed);
  waiter.join();
  EXPECT_EQ(first, BarrierResult::kPassed);
}

// Abort() releases every waiter with kBroken, and later waits fail at once.
TEST(TimedBarrierTest, AbortBreaksForEveryone) {
  TimedBarrier barrier(3);
  std::vector<BarrierResult> results(2, BarrierResult::kPassed);
  {
    std::vector<std::jthread> waiters;
    for (int i = 0; i < 2; ++i) {
      waiters.emplace_back([&, i] { results[i] = barrier.Wait(); });  // No deadline.
    }
    ASSERT_TRUE(Eventually([&] { return barrier.waiting() == 2; }));
    barrier.Abort();
  }
  EXPECT_EQ(results[0], BarrierResult::kBroken);
  EXPECT_EQ(results[1], BarrierResult::kBroken);
  EXPECT_TRUE(barrier.broken());
  EXPECT_EQ(barrier.WaitFor(kForever), BarrierResult::kBroken);  // Does not block.
}

// A barrier of one never blocks.
TEST(TimedBarrierTest, SinglePartyPassesAlone) {
  TimedBarrier barrier(1);
  EXPECT_EQ(barrier.Wait(), BarrierResult::kPassed);
  EXPECT_EQ(barrier.Wait(), BarrierResult::kPassed);
}

// Nobody can pass a barrier of zero parties: constructing one is a programming error.
TEST(TimedBarrierDeathTest, ZeroPartiesAborts) {
  EXPECT_DEATH(TimedBarrier barrier(0), "");
}

TEST(BarrierResultTest, Names) {
  EXPECT_STREQ(threading::BarrierResultName(BarrierResult::kPassed), "passed");
  EXPECT_STREQ(threading::BarrierResultName(BarrierResult::kTimedOut), "timed out");
  EXPECT_STREQ(threading::BarrierResultName(BarrierResult::kBroken), "broken");
}

}  // namespace
