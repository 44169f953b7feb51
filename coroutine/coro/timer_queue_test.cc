// TimerQueue: deadline order, ties in push order, the FIFO fast path, and agreement with
// a sorted reference over random pushes and pops.
#include "coroutine/coro/timer_queue.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <optional>
#include <random>
#include <tuple>
#include <vector>

#include "gtest/gtest.h"

namespace coro {
namespace {

using Queue = TimerQueue<int>;

TimePoint At(std::int64_t ns) { return TimePoint(Duration(ns)); }

// The items in the order they come out.
std::vector<int> DrainAll(Queue& q) {
  std::vector<int> order;
  while (!q.empty()) order.push_back(q.PopDue(q.NextDeadline())->item);
  return order;
}

// Timers come out in deadline order, equal deadlines in push order.
TEST(TimerQueueTest, DeadlineThenArrivalOrder) {
  Queue q;
  q.Push(At(30), 0);
  q.Push(At(10), 1);
  q.Push(At(20), 2);
  q.Push(At(10), 3);
  q.Push(At(30), 4);
  EXPECT_EQ(q.size(), 5u);
  EXPECT_EQ(q.NextDeadline(), At(10));
  EXPECT_EQ(DrainAll(q), (std::vector<int>{1, 3, 2, 0, 4}));
}

// Nothing comes out before its deadline; what comes out says its deadline.
TEST(TimerQueueTest, PopDueRespectsNow) {
  Queue q;
  q.Push(At(100), 7);
  EXPECT_FALSE(q.PopDue(At(99)).has_value());
  EXPECT_EQ(q.size(), 1u);
  std::optional<Queue::Timer> due = q.PopDue(At(100));
  ASSERT_TRUE(due.has_value());
  EXPECT_EQ(due->item, 7);
  EXPECT_EQ(due->deadline, At(100));
  EXPECT_FALSE(q.PopDue(At(1000)).has_value());
}

// Timers pushed in deadline order (the common case) never touch the heap.
TEST(TimerQueueTest, InOrderTimersUseTheFifo) {
  Queue q;
  for (int i = 0; i < 1000; ++i) q.Push(At(i / 10), i);
  EXPECT_EQ(q.fifo_size(), 1000u);
  EXPECT_EQ(q.heap_size(), 0u);
  q.Push(At(5), 1000);  // out of order
  EXPECT_EQ(q.heap_size(), 1u);
}

// Against a reference (sort by deadline, then arrival) over random pushes and pops,
// including many equal deadlines, which is where the FIFO/heap split could go wrong.
TEST(TimerQueueTest, MatchesReferenceOnRandomOperations) {
  std::mt19937 random(12345);
  for (int round = 0; round < 200; ++round) {
    Queue q;
    std::vector<std::tuple<std::int64_t, int>> reference;  // deadline, arrival
    std::int64_t now = 0;
    int next_id = 0;
    for (int step = 0; step < 300; ++step) {
      if (random() % 3 != 0) {
        std::int64_t deadline = now + static_cast<std::int64_t>(random() % 8);
        q.Push(At(deadline), next_id);
        reference.emplace_back(deadline, next_id);
        ++next_id;
      } else {
        now += static_cast<std::int64_t>(random() % 3);
        std::sort(reference.begin(), reference.end());
        while (!reference.empty() && std::get<0>(reference.front()) <= now) {
          std::optional<Queue::Timer> got = q.PopDue(At(now));
          ASSERT_TRUE(got.has_value()) << "round " << round;
          ASSERT_EQ(got->item, std::get<1>(reference.front())) << "round " << round;
          reference.erase(reference.begin());
        }
        ASSERT_FALSE(q.PopDue(At(now)).has_value()) << "round " << round;
      }
    }
    ASSERT_EQ(q.size(), reference.size());
  }
}

}  // namespace
}  // namespace coro
