#include "coroutine/coro/lazy_generator.h"

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace coro {
namespace {

using ::testing::ElementsAre;

Generator<int> CountTo(int n, std::vector<std::string>* trace) {
  trace->push_back("start");
  for (int i = 1; i <= n; ++i) {
    trace->push_back("yield " + std::to_string(i));
    co_yield i;
  }
  trace->push_back("end");
}

// Calling a generator function runs nothing; each pull runs exactly to the next co_yield.
TEST(GeneratorTest, NothingRunsBeforeTheFirstPull) {
  std::vector<std::string> trace;
  Generator<int> g = CountTo(2, &trace);
  EXPECT_TRUE(trace.empty());
  EXPECT_EQ(g.Next(), 1);
  EXPECT_THAT(trace, ElementsAre("start", "yield 1"));
  EXPECT_EQ(g.Next(), 2);
  EXPECT_EQ(g.Next(), std::nullopt);
  EXPECT_THAT(trace, ElementsAre("start", "yield 1", "yield 2", "end"));
  EXPECT_TRUE(g.done());
  EXPECT_EQ(g.Next(), std::nullopt);  // stays finished
}

// Range-for pulls every value in order.
TEST(GeneratorTest, RangeFor) {
  std::vector<std::string> trace;
  std::vector<int> seen;
  for (int i : CountTo(4, &trace)) seen.push_back(i);
  EXPECT_THAT(seen, ElementsAre(1, 2, 3, 4));
}

Generator<int> ThrowsAfter(int n) {
  for (int i = 0; i < n; ++i) co_yield i;
  throw std::runtime_error("generator failed");
}

// An exception in the body comes out of the pull that resumed it, then the generator is done.
TEST(GeneratorTest, ExceptionsPropagateToThePuller) {
  Generator<int> g = ThrowsAfter(1);
  EXPECT_EQ(g.Next(), 0);
  EXPECT_THROW(g.Next(), std::runtime_error);
  EXPECT_TRUE(g.done());

  std::vector<int> seen;
  auto loop = [&] {
    for (int i : ThrowsAfter(2)) seen.push_back(i);
  };
  EXPECT_THROW(loop(), std::runtime_error);
  EXPECT_THAT(seen, ElementsAre(0, 1));
}

struct Counted {
  int* destroyed;
  ~Counted() { ++*destroyed; }
};

Generator<int> HoldsALocal(int* destroyed) {
  Counted local{destroyed};
  for (int i = 0;; ++i) co_yield i;
}

// The frame and its locals go with the generator (or with Close(), Python's close()).
TEST(GeneratorTest, FrameIsDestroyedWithTheGenerator) {
  int destroyed = 0;
  {
    Generator<int> g = HoldsALocal(&destroyed);
    EXPECT_EQ(g.Next(), 0);
    EXPECT_EQ(g.Next(), 1);
    EXPECT_EQ(destroyed, 0);
  }
  EXPECT_EQ(destroyed, 1);

  Generator<int> g = HoldsALocal(&destroyed);
  g.Next();
  g.Close();
  EXPECT_EQ(destroyed, 2);
  EXPECT_EQ(g.Next(), std::nullopt);
  g.Close();  // twice is fine
}

// The tutorial's consumer: `n = yield r`.
Generator<std::string, int> Consumer(std::vector<int>* consumed) {
  std::string r;
  while (true) {
    int n = co_yield r;
    if (n == 0) co_return;
    consumed->push_back(n);
    r = "200 OK " + std::to_string(n);
  }
}

// Send() delivers a value to the pending co_yield and returns the next yielded value.
TEST(GeneratorTest, SendRoundTrips) {
  std::vector<int> consumed;
  Generator<std::string, int> c = Consumer(&consumed);
  EXPECT_TRUE(consumed.empty());
  EXPECT_EQ(c.Next(), "");  // c.send(None): runs to the first co_yield
  EXPECT_EQ(c.Send(1), "200 OK 1");
  EXPECT_EQ(c.Send(2), "200 OK 2");
  EXPECT_THAT(consumed, ElementsAre(1, 2));
  EXPECT_EQ(c.Send(0), std::nullopt);  // `if not n: return` -> StopIteration
  EXPECT_TRUE(c.done());
  EXPECT_EQ(c.Send(3), std::nullopt);
  EXPECT_THAT(consumed, ElementsAre(1, 2));
}

// Next() on a generator that takes values sends a value-initialised one (Python's None).
TEST(GeneratorTest, NextSendsValueInitialised) {
  std::vector<int> consumed;
  Generator<std::string, int> c = Consumer(&consumed);
  c.Next();
  EXPECT_EQ(c.Next(), std::nullopt);  // received 0: returned
}

// Moving a generator moves the frame; the moved-from one is empty.
TEST(GeneratorTest, MoveTransfersTheFrame) {
  std::vector<std::string> trace;
  Generator<int> a = CountTo(3, &trace);
  EXPECT_EQ(a.Next(), 1);
  Generator<int> b = std::move(a);
  EXPECT_TRUE(a.done());  // NOLINT(bugprone-use-after-move): documented state
  EXPECT_EQ(b.Next(), 2);
}

}  // namespace
}  // namespace coro
