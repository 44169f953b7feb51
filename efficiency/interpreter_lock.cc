#include "efficiency/interpreter_lock.h"

#include <algorithm>
#include <system_error>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "benchmark/benchmark.h"
#include "common/message.h"
#include "common/trace.h"
#include "efficiency/thread_errors.h"
#include "efficiency/work.h"

namespace efficiency {
namespace {

// How often a waiter that has asked for the lock looks again (see Acquire).
constexpr std::chrono::nanoseconds kRecheck = std::chrono::microseconds(100);

}  // namespace

EmulatedGil::EmulatedGil(std::chrono::nanoseconds switch_interval) : interval_(switch_interval) {}

void EmulatedGil::Acquire() {
  const double wait_start_us = trace::Enabled() ? trace::NowMicros() : 0;
  std::unique_lock<std::mutex> lock(mu_);
  ++waiting_;
  WaitAndTake(lock, wait_start_us);
}

void EmulatedGil::WaitAndTake(std::unique_lock<std::mutex>& lock, double wait_start_us) {
  while (locked_) {
    const uint64_t hand_overs_before = hand_overs_;
    const bool got_free = released_.wait_for(lock, interval_, [&] { return !locked_; });
    if (got_free || hand_overs_ != hand_overs_before) continue;  // free, or a new holder
    // A whole interval passed and the lock did not change hands: ask the holder to drop
    // it, then wait for that. Look again now and then: if the lock went to another
    // waiter meanwhile (which cleared the request), the next holder gets a fresh
    // interval, as in CPython.
    drop_request_.store(true, std::memory_order_relaxed);
    released_.wait_for(lock, std::max(interval_, kRecheck),
                       [&] { return !locked_ || hand_overs_ != hand_overs_before; });
  }
  --waiting_;
  locked_ = true;
  // The request is served (or was never needed). With a zero interval a waiter asks at
  // once, so while anyone still waits the new holder is asked straight away.
  drop_request_.store(interval_ == std::chrono::nanoseconds::zero() && waiting_ > 0,
                      std::memory_order_relaxed);
  if (holder_ != std::this_thread::get_id()) {
    holder_ = std::this_thread::get_id();
    ++hand_overs_;
    switches_.fetch_add(1, std::memory_order_relaxed);
    switched_.notify_all();
  }
  lock.unlock();
  Entered(wait_start_us);
}

int EmulatedGil::waiting() {
  std::lock_guard<std::mutex> lock(mu_);
  return waiting_;
}

void EmulatedGil::Entered(double wait_start_us) {
  const int now = holders_.fetch_add(1, std::memory_order_acq_rel) + 1;
  int seen = max_holders_.load();
  while (now > seen && !max_holders_.compare_exchange_weak(seen, now)) {
  }
  if (trace::Enabled()) {
    held_since_us_ = trace::NowMicros();
    trace::Complete("waits for the GIL", trace::kLockWait, wait_start_us, held_since_us_);
  }
}

void EmulatedGil::Leaving() {
  if (trace::Enabled()) {
    trace::Complete("holds the GIL", trace::kGil, held_since_us_, trace::NowMicros());
  }
}

void EmulatedGil::Release() {
  Leaving();  // the turn ends before anyone else can begin one
  holders_.fetch_sub(1, std::memory_order_acq_rel);  // before anyone else can enter
  std::lock_guard<std::mutex> lock(mu_);
  locked_ = false;
  released_.notify_one();
}

void EmulatedGil::SwitchAway() {
  Leaving();
  const double wait_start_us = trace::Enabled() ? trace::NowMicros() : 0;
  holders_.fetch_sub(1, std::memory_order_acq_rel);
  std::unique_lock<std::mutex> lock(mu_);
  ++waiting_;  // from now on this thread is one of those waiting for the lock
  locked_ = false;
  const uint64_t hand_overs_before = hand_overs_;
  released_.notify_one();
  // FORCE_SWITCHING: do not take it straight back; wait until another thread has it (or
  // nobody else wants it).
  switched_.wait(lock, [&] { return hand_overs_ != hand_overs_before || waiting_ == 1; });
  WaitAndTake(lock, wait_start_us);
}

uint64_t SpinHoldingGil(EmulatedGil& gil, uint64_t iterations, uint64_t state) {
  for (uint64_t i = 0; i < iterations; ++i) {
    gil.Checkpoint();
    state = state * kLcgMultiplier + kLcgIncrement;
    benchmark::DoNotOptimize(state);
  }
  return state;
}

uint64_t ComputeThenBlock(EmulatedGil& gil, int rounds, uint64_t iterations,
                          std::chrono::nanoseconds block, uint64_t state) {
  for (int r = 0; r < rounds; ++r) {
    state = SpinHoldingGil(gil, iterations, state);
    EmulatedGil::Unlocked released(gil);  // Py_BEGIN_ALLOW_THREADS ... time.sleep
    trace::Span blocked("blocked, GIL released", trace::kSleep);
    std::this_thread::sleep_for(block);
  }  // blocked ends, then the GIL is taken back: the spans nest
  return state;
}

absl::StatusOr<RaceResult> RunTutorialRace(EmulatedGil& gil, int threads, int64_t iterations,
                                           SwitchPoints points, bool with_lock) {
  long num = 0;  // the tutorial's global; only ever touched while holding `gil`
  GilAwareMutex lock(gil);
  std::atomic<int64_t> mid_update{0};
  auto run = [&](int t) {
    if (trace::Enabled()) trace::NameThread(absl::StrFormat("t%d", t + 1));
    EmulatedGil::Holder hold(gil);
    int64_t my_mid_update = 0;
    // One statement, `num = num + delta`, as the interpreter executes it.
    auto update = [&](long delta) {
      const long value = num;  // LOAD_GLOBAL num (then LOAD_FAST i, BINARY_OP)
      if (points == SwitchPoints::kEveryStep) {
        const int64_t before = gil.switches();
        gil.Checkpoint();  // the eval breaker, between the read and the write
        if (gil.switches() != before) ++my_mid_update;
      }
      num = value + delta;  // STORE_GLOBAL num
    };
    for (int64_t i = 0; i < iterations; ++i) {
      gil.Checkpoint();  // the loop's back edge
      if (with_lock) lock.lock();
      update(static_cast<long>(i));
      if (points == SwitchPoints::kEveryStep) gil.Checkpoint();
      update(-static_cast<long>(i));
      if (with_lock) lock.unlock();
    }
    mid_update.fetch_add(my_mid_update);
  };
  // Start together: this thread holds the lock until every worker waits for it, so the
  // first one cannot finish its loop before the others have even started.
  gil.Acquire();
  const int64_t switches_before = gil.switches();
  absl::Status start_error;
  {
    std::vector<std::jthread> workers;
    try {
      for (int t = 0; t < threads; ++t) workers.emplace_back(run, t);
    } catch (const std::system_error& error) {
      start_error = ThreadStartError(
          lesson::Format("could not create thread %d of %d", workers.size() + 1, threads).str(),
          error);
    }
    while (start_error.ok() && gil.waiting() < threads) {
      std::this_thread::sleep_for(std::chrono::microseconds(50));
    }
    gil.Release();  // also when a thread failed: the started ones must be able to finish
  }  // joins the workers
  if (!start_error.ok()) return start_error;
  // Not counting the hand-over from this thread to the first worker.
  return RaceResult{num, gil.switches() - switches_before - 1, mid_update.load()};
}

}  // namespace efficiency
