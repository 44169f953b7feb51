#include "coroutine/coro/timer_queue.h"

#include <algorithm>
#include <chrono>
#include <coroutine>
#include <cstdint>
#include <random>
#include <tuple>
#include <vector>

#include "gtest/gtest.h"

namespace {

using ::coro::Duration;
using ::coro::TimePoint;
using ::coro::TimerQueue;

// Distinct fake handles: the queue never resumes them, it only hands them back.
std::coroutine_handle<> Fake(std::uintptr_t id) {
  return std::coroutine_handle<>::from_address(reinterpret_cast<void*>((id + 1) * 16));
}
std::uintptr_t IdOf(std::coroutine_handle<> h) {
  return reinterpret_cast<std::uintptr_t>(h.address()) / 16 - 1;
}
TimePoint At(std::int64_t ns) { return TimePoint(Duration(ns)); }

std::vector<std::uintptr_t> DrainAll(TimerQueue& q) {
  std::vector<std::uintptr_t> order;
  while (!q.empty()) order.push_back(IdOf(q.PopDue(q.NextDeadline())));
  return order;
}

// Timers come out in deadline order, equal deadlines in push order.
TEST(TimerQueueTest, DeadlineThenArrivalOrder) {
  TimerQueue q;
  q.Push(At(30), Fake(0));
  q.Push(At(10), Fake(1));
  q.Push(At(20), Fake(2));
  q.Push(At(10), Fake(3));
  q.Push(At(30), Fake(4));
  EXPECT_EQ(q.size(), 5u);
  EXPECT_EQ(q.NextDeadline(), At(10));
  EXPECT_EQ(DrainAll(q), (std::vector<std::uintptr_t>{1, 3, 2, 0, 4}));
}

// Nothing comes out before its deadline.
TEST(TimerQueueTest, PopDueRespectsNow) {
  TimerQueue q;
  q.Push(At(100), Fake(0));
  EXPECT_EQ(q.PopDue(At(99)), nullptr);
  EXPECT_EQ(q.size(), 1u);
  EXPECT_EQ(IdOf(q.PopDue(At(100))), 0u);
  EXPECT_EQ(q.PopDue(At(1000)), nullptr);
}

// Timers pushed in deadline order (the common case) never touch the heap.
TEST(TimerQueueTest, InOrderTimersUseTheFifo) {
  TimerQueue q;
  for (int i = 0; i < 1000; ++i) q.Push(At(i / 10), Fake(i));
  EXPECT_EQ(q.fifo_size(), 1000u);
  EXPECT_EQ(q.heap_size(), 0u);
  q.Push(At(5), Fake(1000));  // out of order
  EXPECT_EQ(q.heap_size(), 1u);
}

// Clear drops everything.
TEST(TimerQueueTest, Clear) {
  TimerQueue q;
  q.Push(At(2), Fake(0));
  q.Push(At(1), Fake(1));
  q.Clear();
  EXPECT_TRUE(q.empty());
  EXPECT_EQ(q.PopDue(At(100)), nullptr);
}

// Against a reference (sort by deadline, then arrival) over random pushes and pops,
// including many equal deadlines, which is where the FIFO/heap split could go wrong.
TEST(TimerQueueTest, MatchesReferenceOnRandomOperations) {
  std::mt19937 random(12345);
  for (int round = 0; round < 200; ++round) {
    TimerQueue q;
    std::vector<std::tuple<std::int64_t, std::uintptr_t>> reference;  // deadline, arrival
    std::int64_t now = 0;
    std::uintptr_t next_id = 0;
    for (int step = 0; step < 300; ++step) {
      if (random() % 3 != 0) {
        std::int64_t deadline = now + static_cast<std::int64_t>(random() % 8);
        q.Push(At(deadline), Fake(next_id));
        reference.emplace_back(deadline, next_id);
        ++next_id;
      } else {
        now += static_cast<std::int64_t>(random() % 3);
        std::sort(reference.begin(), reference.end());
        while (!reference.empty() && std::get<0>(reference.front()) <= now) {
          std::coroutine_handle<> got = q.PopDue(At(now));
          ASSERT_NE(got, nullptr);
          ASSERT_EQ(IdOf(got), std::get<1>(reference.front())) << "round " << round;
          reference.erase(reference.begin());
        }
        ASSERT_EQ(q.PopDue(At(now)), nullptr);
      }
    }
    ASSERT_EQ(q.size(), reference.size());
  }
}

}  // namespace
