// Tests both queues of bounded_queue.h with one body: BUILD compiles this file twice,
// once as is (StdBoundedQueue) and once with TEST_ABSL_QUEUE defined (AbslBoundedQueue).
#include "thread/bounded_queue.h"

#include <chrono>
#include <functional>
#include <optional>
#include <thread>

#include "gtest/gtest.h"

namespace {

#ifdef TEST_ABSL_QUEUE
template <typename T>
using Queue = threading::AbslBoundedQueue<T>;
#else
template <typename T>
using Queue = threading::StdBoundedQueue<T>;
#endif

// Polls `done` until it holds or 30 s pass; a bound no loaded machine reaches.
bool Eventually(const std::function<bool()>& done) {
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!done()) {
    if (std::chrono::steady_clock::now() > give_up) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

// First in, first out.
TEST(BoundedQueueTest, FifoOrder) {
  Queue<int> queue(8);
  for (int i = 1; i <= 5; ++i) EXPECT_TRUE(queue.Push(i));
  for (int i = 1; i <= 5; ++i) EXPECT_EQ(queue.Pop(), i);
}

// After Close() the items left come out, then nullopt; new pushes are refused.
TEST(BoundedQueueTest, CloseDrainsThenEnds) {
  Queue<int> queue(8);
  queue.Push(1);
  queue.Push(2);
  queue.Close();
  EXPECT_FALSE(queue.Push(3));
  EXPECT_EQ(queue.Pop(), 1);
  EXPECT_EQ(queue.Pop(), 2);
  EXPECT_EQ(queue.Pop(), std::nullopt);
  EXPECT_TRUE(queue.closed());
}

// A full queue makes the producer wait until the consumer takes an item.
TEST(BoundedQueueTest, PushWaitsWhileFull) {
  Queue<int> queue(1);
  queue.Push(1);
  std::jthread producer([&] { EXPECT_TRUE(queue.Push(2)); });
  ASSERT_TRUE(Eventually([&] { return queue.waits().producer_waits == 1; }));
  EXPECT_EQ(queue.Pop(), 1);
  producer.join();
  EXPECT_EQ(queue.Pop(), 2);
}

// Close() wakes a consumer blocked on an empty queue.
TEST(BoundedQueueTest, CloseWakesBlockedConsumer) {
  Queue<int> queue(4);
  std::optional<int> got = 0;
  std::jthread consumer([&] { got = queue.Pop(); });
  ASSERT_TRUE(Eventually([&] { return queue.waits().consumer_waits == 1; }));
  queue.Close();
  consumer.join();
  EXPECT_EQ(got, std::nullopt);
}

// With nothing coming and no Close(), PopFor gives up and says the queue is still open.
TEST(BoundedQueueTest, PopForTimesOut) {
  Queue<int> queue(4);
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(queue.PopFor(std::chrono::milliseconds(20)), std::nullopt);
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(20));
  EXPECT_FALSE(queue.closed());
  queue.Push(7);
  EXPECT_EQ(queue.PopFor(std::chrono::milliseconds(20)), 7);
}

// Many items through a small queue: none lost, none duplicated, order kept.
TEST(BoundedQueueTest, ProducerAndConsumerThreads) {
  constexpr long kItems = 100000;
  Queue<long> queue(8);
  long sum = 0, count = 0;
  bool in_order = true;
  std::jthread consumer([&] {
    long expected = 1;
    while (std::optional<long> item = queue.Pop()) {
      in_order = in_order && *item == expected++;
      sum += *item;
      ++count;
    }
  });
  for (long i = 1; i <= kItems; ++i) queue.Push(i);
  queue.Close();
  consumer.join();
  EXPECT_EQ(count, kItems);
  EXPECT_EQ(sum, kItems * (kItems + 1) / 2);
  EXPECT_TRUE(in_order);
}

}  // namespace
