#include "thread/cancellable_timer.h"

#include <atomic>
#include <chrono>
#include <latch>
#include <thread>

#include "gtest/gtest.h"
#include "thread/thread_registry.h"

namespace {

using std::chrono::milliseconds;
using threading::Timer;

constexpr auto kForever = std::chrono::hours(1);  // A delay no test ever reaches.

// The action runs exactly once, on the timer's thread, and never before the delay.
TEST(CancellableTimerTest, FiresOnceAfterDelay) {
  std::atomic<int> runs = 0;
  threading::ThreadInfo ran_on;
  Timer timer(milliseconds(50), [&] {
    ran_on = threading::CurrentThread();
    ++runs;
  }, "my-timer");
  const auto start = std::chrono::steady_clock::now();
  timer.Start();
  timer.Join();
  EXPECT_GE(std::chrono::steady_clock::now() - start, milliseconds(50));
  EXPECT_EQ(runs, 1);
  EXPECT_EQ(ran_on.name, "my-timer");
  EXPECT_TRUE(timer.Fired());
  EXPECT_EQ(timer.state(), Timer::State::kFinished);
  EXPECT_FALSE(timer.Cancel());  // Too late: it has run.
  timer.Start();                 // A second Start() does nothing.
  timer.Join();
  EXPECT_EQ(runs, 1);
}

// Cancel() before the delay passes returns true and the action never runs.
TEST(CancellableTimerTest, CancelBeforeFiringPreventsIt) {
  std::atomic<int> runs = 0;
  {
    Timer timer(kForever, [&] { ++runs; });
    timer.Start();
    EXPECT_EQ(timer.state(), Timer::State::kWaiting);
    EXPECT_TRUE(timer.Cancel());
    timer.Join();  // Returns at once: the waiting thread was woken.
    EXPECT_EQ(timer.state(), Timer::State::kCancelled);
    EXPECT_FALSE(timer.Fired());
  }  // Destruction joins the thread: after this nothing can run.
  EXPECT_EQ(runs, 0);
}

// A cancelled timer stays cancelled even when its delay is zero and it is started late.
TEST(CancellableTimerTest, CancelBeforeStart) {
  std::atomic<int> runs = 0;
  Timer timer(milliseconds(0), [&] { ++runs; });
  EXPECT_TRUE(timer.Cancel());
  timer.Start();
  timer.Join();
  EXPECT_EQ(runs, 0);
  EXPECT_EQ(timer.state(), Timer::State::kCancelled);
}

// Destroying a pending timer cancels it: no wait for the delay, no run.
TEST(CancellableTimerTest, DestructorCancelsPendingTimer) {
  std::atomic<int> runs = 0;
  {
    Timer timer(kForever, [&] { ++runs; });
    timer.Start();
  }
  EXPECT_EQ(runs, 0);
}

// Join() on a timer that was never started returns at once.
TEST(CancellableTimerTest, JoinWithoutStart) {
  Timer timer(kForever, [] {});
  timer.Join();
  EXPECT_EQ(timer.state(), Timer::State::kNotStarted);
}

// Cancel() cannot stop an action that has already started; it says so.
TEST(CancellableTimerTest, CancelWhileRunningReturnsFalse) {
  std::latch started(1), release(1);
  Timer timer(milliseconds(0), [&] {
    started.count_down();
    release.wait();
  });
  timer.Start();
  started.wait();
  EXPECT_EQ(timer.state(), Timer::State::kRunning);
  EXPECT_FALSE(timer.Cancel());
  release.count_down();
  timer.Join();
  EXPECT_EQ(timer.state(), Timer::State::kFinished);
}

// Like Python's Timer (a Thread), a waiting timer is a live, counted thread.
TEST(CancellableTimerTest, WaitingTimerIsCounted) {
  EXPECT_EQ(threading::ActiveCount(), 1);
  Timer timer(kForever, [] {}, "counted");
  timer.Start();
  EXPECT_EQ(threading::ActiveCount(), 2);
  EXPECT_EQ(threading::Enumerate().back().name, "counted");
  timer.Cancel();
}

// Many threads may cancel and join at once; exactly one outcome wins.
TEST(CancellableTimerTest, ConcurrentCancelAndJoin) {
  for (int round = 0; round < 20; ++round) {
    std::atomic<int> runs = 0;
    std::atomic<int> cancelled = 0;
    Timer timer(milliseconds(round % 3), [&] { ++runs; });
    timer.Start();
    {
      std::jthread a([&] { cancelled += timer.Cancel() ? 1 : 0; });
      std::jthread b([&] { timer.Join(); });
      std::jthread c([&] { cancelled += timer.Cancel() ? 1 : 0; });
    }
    timer.Join();
    // Either the action ran (and no Cancel succeeded) or it never will.
    EXPECT_EQ(runs + (cancelled > 0 ? 1 : 0), 1) << "round " << round;
  }
}

}  // namespace
