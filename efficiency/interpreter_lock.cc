#include "efficiency/interpreter_lock.h"

#include <vector>

#include "benchmark/benchmark.h"
#include "efficiency/work.h"

namespace efficiency {

EmulatedGil::EmulatedGil(std::chrono::nanoseconds switch_interval) : interval_(switch_interval) {}

void EmulatedGil::Acquire() {
  std::unique_lock<std::mutex> lock(mu_);
  if (locked_) {
    ++waiting_;
    while (locked_) {
      if (drop_request_.load(std::memory_order_relaxed)) {
        released_.wait(lock);  // already asked: wait for the holder to let go
        continue;
      }
      const uint64_t hand_overs_before = hand_overs_;
      const bool got_free = released_.wait_for(lock, interval_, [&] { return !locked_; });
      // A whole interval passed and the lock did not change hands: ask the holder to drop.
      if (!got_free && hand_overs_ == hand_overs_before) {
        drop_request_.store(true, std::memory_order_relaxed);
      }
    }
    --waiting_;
  }
  locked_ = true;
  drop_request_.store(false, std::memory_order_relaxed);  // served (or never needed)
  if (holder_ != std::this_thread::get_id()) {
    holder_ = std::this_thread::get_id();
    ++hand_overs_;
    switches_.fetch_add(1, std::memory_order_relaxed);
    switched_.notify_all();
  }
  lock.unlock();
  Entered();
}

void EmulatedGil::Entered() {
  const int now = holders_.fetch_add(1, std::memory_order_acq_rel) + 1;
  int seen = max_holders_.load();
  while (now > seen && !max_holders_.compare_exchange_weak(seen, now)) {
  }
}

void EmulatedGil::Release() {
  holders_.fetch_sub(1, std::memory_order_acq_rel);  // before anyone else can enter
  std::lock_guard<std::mutex> lock(mu_);
  locked_ = false;
  released_.notify_one();
}

void EmulatedGil::SwitchAway() {
  {
    holders_.fetch_sub(1, std::memory_order_acq_rel);
    std::unique_lock<std::mutex> lock(mu_);
    locked_ = false;
    const uint64_t hand_overs_before = hand_overs_;
    released_.notify_one();
    // FORCE_SWITCHING: do not take it straight back; wait until another thread has it.
    switched_.wait(lock, [&] { return hand_overs_ != hand_overs_before || waiting_ == 0; });
  }
  Acquire();
}

uint64_t SpinHoldingGil(EmulatedGil& gil, uint64_t iterations, uint64_t state) {
  for (uint64_t i = 0; i < iterations; ++i) {
    gil.Checkpoint();
    state = state * kLcgMultiplier + kLcgIncrement;
    benchmark::DoNotOptimize(state);
  }
  return state;
}

RaceResult RunTutorialRace(EmulatedGil& gil, int threads, int64_t iterations,
                           SwitchPoints points, bool with_lock) {
  long num = 0;  // the tutorial's global; only ever touched while holding `gil`
  GilAwareMutex lock(gil);
  std::atomic<int64_t> mid_update{0};
  const int64_t switches_before = gil.switches();
  auto run = [&] {
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
  {
    std::vector<std::jthread> workers;
    for (int t = 0; t < threads; ++t) workers.emplace_back(run);
  }
  return RaceResult{num, gil.switches() - switches_before, mid_update.load()};
}

}  // namespace efficiency
