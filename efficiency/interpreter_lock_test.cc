#include "efficiency/interpreter_lock.h"

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "efficiency/work.h"
#include "common/status_matchers.h"
#include "gtest/gtest.h"

namespace efficiency {
namespace {

using std::chrono::milliseconds;
using std::chrono::nanoseconds;

// Runs `threads` threads that each hold the GIL and call `step` between checkpoints until
// the lock has changed hands `switches` times. Deterministic end: it depends on hand-overs
// happening, not on how fast they happen.
template <typename Step>
void RunUntilSwitches(EmulatedGil& gil, int threads, int64_t switches, Step step) {
  std::vector<std::jthread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      EmulatedGil::Holder hold(gil);
      while (gil.switches() < switches) {
        step(t);
        gil.Checkpoint();
      }
    });
  }
}

// Instrumented: with four threads competing and hundreds of hand-overs, never are two
// threads inside at once — by the lock's own count and by an independent one.
TEST(EmulatedGilTest, NeverTwoHoldersAtOnce) {
  EmulatedGil gil(nanoseconds(0));  // switch at every checkpoint while someone waits
  std::atomic<int> inside{0};
  std::atomic<int> most_inside{0};
  RunUntilSwitches(gil, 4, 400, [&](int) {
    const int now = inside.fetch_add(1) + 1;
    int seen = most_inside.load();
    while (now > seen && !most_inside.compare_exchange_weak(seen, now)) {
    }
    std::this_thread::yield();  // give another thread every chance to barge in
    inside.fetch_sub(1);
  });
  EXPECT_GE(gil.switches(), 400);
  EXPECT_EQ(gil.max_holders(), 1);
  EXPECT_EQ(most_inside.load(), 1);
}

// The same independent count without the lock does see two threads at once: the
// instrument can fail, so its "1" above means something.
TEST(EmulatedGilTest, WithoutTheLockTheInstrumentSeesOverlap) {
  if (std::thread::hardware_concurrency() < 2) GTEST_SKIP() << "needs two CPUs";
  std::atomic<int> inside{0};
  std::atomic<bool> overlap{false};
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  std::vector<std::jthread> workers;
  for (int t = 0; t < 2; ++t) {
    workers.emplace_back([&] {
      while (!overlap.load() && std::chrono::steady_clock::now() < deadline) {
        if (inside.fetch_add(1) + 1 > 1) overlap = true;
        for (int spin = 0; spin < 1000; ++spin) std::atomic_signal_fence(std::memory_order_seq_cst);
        inside.fetch_sub(1);
      }
    });
  }
  workers.clear();
  EXPECT_TRUE(overlap.load());
}

// A waiting thread gets the lock within its switch interval: with two threads and a 1 ms
// interval, hand-overs keep happening (the loop would never end otherwise).
TEST(EmulatedGilTest, WaitersAskForTheLockAfterTheInterval) {
  EmulatedGil gil(milliseconds(1));
  std::atomic<int64_t> steps[2] = {0, 0};
  RunUntilSwitches(gil, 2, 20, [&](int t) { steps[t].fetch_add(1); });
  EXPECT_GE(gil.switches(), 20);
  EXPECT_GT(steps[0].load(), 0);
  EXPECT_GT(steps[1].load(), 0);
  EXPECT_EQ(gil.max_holders(), 1);
}

// Unlocked releases the GIL for its scope: another thread can take it meanwhile.
TEST(EmulatedGilTest, UnlockedLetsAnotherThreadIn) {
  EmulatedGil gil(milliseconds(5));
  std::atomic<bool> other_ran{false};
  EmulatedGil::Holder hold(gil);
  {
    EmulatedGil::Unlocked released(gil);
    std::jthread other([&] {
      EmulatedGil::Holder other_hold(gil);  // would block forever if not released
      other_ran = true;
    });
  }
  EXPECT_TRUE(other_ran.load());
}

// Spinning under the GIL computes exactly what Spin computes.
TEST(EmulatedGilTest, SpinHoldingGilMatchesSpin) {
  EmulatedGil gil;
  EmulatedGil::Holder hold(gil);
  EXPECT_EQ(SpinHoldingGil(gil, 100'000, 42), Spin(100'000, 42));
}

// The GIL keeps single steps whole, not read-modify-write statements: two threads doing
// `value = counter; <checkpoint>; counter = value + 1` lose increments when switched
// between the read and the write.
TEST(EmulatedGilTest, SwitchBetweenReadAndWriteLosesIncrements) {
  EmulatedGil gil(nanoseconds(0));
  long counter = 0;  // touched only under the GIL
  long increments[2] = {0, 0};
  RunUntilSwitches(gil, 2, 200, [&](int t) {
    const long value = counter;
    gil.Checkpoint();  // a switch may fall here
    counter = value + 1;
    ++increments[t];
  });
  EXPECT_LT(counter, increments[0] + increments[1]);
}

// If switches fall only between whole statements, no increment is lost.
TEST(EmulatedGilTest, SwitchOnlyBetweenStatementsLosesNothing) {
  EmulatedGil gil(nanoseconds(0));
  long counter = 0;
  long increments[2] = {0, 0};
  RunUntilSwitches(gil, 2, 200, [&](int t) {
    counter = counter + 1;
    ++increments[t];
  });
  EXPECT_EQ(counter, increments[0] + increments[1]);
}

// The tutorial's race: with the lock, or with switches only between statements, the
// result is always 0 — although the GIL changed hands many times (with the lock, even in
// the middle of an update: the other thread then waits for the lock, not for the GIL).
TEST(RunTutorialRaceTest, LockAndStatementSwitchesKeepZero) {
  {
    EmulatedGil gil(nanoseconds(0));
    absl::StatusOr<RaceResult> race =
        RunTutorialRace(gil, 2, 300, SwitchPoints::kEveryStep, /*with_lock=*/true);
    ASSERT_OK(race);
    const RaceResult& r = *race;
    EXPECT_EQ(r.num, 0);
    EXPECT_GT(r.switches, 0);
    EXPECT_EQ(gil.max_holders(), 1);
  }
  {
    EmulatedGil gil(nanoseconds(0));
    absl::StatusOr<RaceResult> race =
        RunTutorialRace(gil, 2, 300, SwitchPoints::kBetweenStatements, /*with_lock=*/false);
    ASSERT_OK(race);
    const RaceResult& r = *race;
    EXPECT_EQ(r.num, 0);
    EXPECT_GT(r.switches, 0);
    EXPECT_EQ(r.switches_mid_update, 0);
  }
}

// Without the lock, switches do fall between a read and its write (whether that loses
// an update in a given run depends on what the other thread did meanwhile: with strict
// alternation the two threads' +i and -i can cancel out; SwitchBetweenReadAndWrite-
// LosesIncrements above shows the loss itself).
TEST(RunTutorialRaceTest, SwitchesFallBetweenReadAndWrite) {
  EmulatedGil gil(nanoseconds(0));
  absl::StatusOr<RaceResult> race =
      RunTutorialRace(gil, 2, 300, SwitchPoints::kEveryStep, /*with_lock=*/false);
  ASSERT_OK(race);
  const RaceResult& r = *race;
  EXPECT_GT(r.switches_mid_update, 0);
  EXPECT_GE(r.switches, r.switches_mid_update);
  EXPECT_EQ(gil.max_holders(), 1);
}

}  // namespace
}  // namespace efficiency
