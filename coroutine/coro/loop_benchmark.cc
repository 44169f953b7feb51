// coroutine/coro/loop_benchmark.cc — what one coroutine costs on this EventLoop, piece by piece.
//
// The scale lesson measures the whole (N sleepers, wall time and peak RSS); this shows
// where it goes: frame sizes (counters, in bytes), creating and finishing a task,
// one symmetric-transfer await, timers in and out of order, a generator pull. Sleepers
// run on a VirtualClock, so the figures are CPU cost with no real sleeping.
//
//   bazel run -c opt //coroutine/coro:loop_benchmark
//   bazel run -c opt //coroutine/coro:loop_benchmark -- --benchmark_filter=Sleepers
#include <chrono>
#include <coroutine>
#include <cstdint>
#include <random>
#include <vector>

#include "benchmark/benchmark.h"
#include "coroutine/coro/clock.h"
#include "coroutine/coro/event_loop.h"
#include "coroutine/coro/gather_and_wait.h"
#include "coroutine/coro/lazy_generator.h"
#include "coroutine/coro/task.h"
#include "coroutine/coro/timer_queue.h"

namespace {

using namespace std::chrono_literals;

coro::Duration sleep_for = 100ms;
coro::Task<void> SleepOnce() { co_await coro::Sleep(sleep_for); }
coro::Task<void> Nothing() { co_return; }
coro::Task<int> Value(int v) { co_return v; }

// Frame sizes the compiler chose (what a million sleepers pay for, before malloc rounding).
void BM_FrameSizes(benchmark::State& state) {
  std::size_t sleeper = 0, empty = 0, value = 0;
  for (auto _ : state) {
    {
      coro::Task<void> t = SleepOnce();
      sleeper = coro::LastTaskFrameSize();
    }
    {
      coro::Task<void> t = Nothing();
      empty = coro::LastTaskFrameSize();
    }
    {
      coro::Task<int> t = Value(1);
      value = coro::LastTaskFrameSize();
    }
  }
  state.counters["sleeper_frame_bytes"] = static_cast<double>(sleeper);
  state.counters["empty_frame_bytes"] = static_cast<double>(empty);
  state.counters["int_task_frame_bytes"] = static_cast<double>(value);
  state.counters["promise_bytes"] = static_cast<double>(sizeof(coro::internal::Promise<void>));
}
BENCHMARK(BM_FrameSizes);

// Allocating and destroying a frame that never runs.
void BM_TaskCreateDestroy(benchmark::State& state) {
  for (auto _ : state) {
    coro::Task<void> t = Nothing();
    benchmark::DoNotOptimize(t);
  }
}
BENCHMARK(BM_TaskCreateDestroy);

coro::Task<long> AwaitMany(long n) {
  long sum = 0;
  for (long i = 0; i < n; ++i) sum += co_await Value(1);
  co_return sum;
}

// One `co_await task` that completes at once: frame, transfer in, transfer back, free.
void BM_AwaitCompletedTask(benchmark::State& state) {
  const long n = state.range(0);
  coro::VirtualClock clock;
  coro::EventLoop loop(clock);
  for (auto _ : state) benchmark::DoNotOptimize(loop.RunUntilComplete(AwaitMany(n)));
  state.SetItemsProcessed(state.iterations() * n);
}
BENCHMARK(BM_AwaitCompletedTask)->Arg(100000);

// n tasks of `body`, created at once and gathered.
coro::Task<void> SpawnAndGather(int n, coro::Task<void> (*body)()) {
  std::vector<coro::Future<void>> all;
  all.reserve(n);
  for (int i = 0; i < n; ++i) all.push_back(coro::CreateTask(body()));
  co_await coro::Gather(std::move(all));
}

// SpawnAndGather(range(0), body) on a fresh loop each iteration; items are tasks.
void RunSpawnAndGather(benchmark::State& state, coro::Task<void> (*body)()) {
  const int n = static_cast<int>(state.range(0));
  for (auto _ : state) {
    coro::VirtualClock clock;
    coro::EventLoop loop(clock);
    loop.RunUntilComplete(SpawnAndGather(n, body));
  }
  state.SetItemsProcessed(state.iterations() * n);
}

// CreateTask + one loop iteration + finish + Gather bookkeeping, per task.
void BM_SpawnAndFinish(benchmark::State& state) { RunSpawnAndGather(state, Nothing); }
BENCHMARK(BM_SpawnAndFinish)->Arg(100000);

// The scale lesson's work on virtual time: what N sleepers cost the CPU, per sleeper.
void BM_Sleepers(benchmark::State& state) { RunSpawnAndGather(state, SleepOnce); }
BENCHMARK(BM_Sleepers)->Arg(1000)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMillisecond);

// Timers pushed in deadline order (the FIFO path) versus in random order (the heap).
void BM_TimerQueue(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  const bool in_order = state.range(1) != 0;
  std::vector<std::int64_t> deadlines(n);
  std::mt19937_64 random(1);
  for (int i = 0; i < n; ++i) {
    deadlines[i] = in_order ? i : static_cast<std::int64_t>(random() % n);
  }
  for (auto _ : state) {
    coro::TimerQueue<int> q;
    for (int i = 0; i < n; ++i) q.Push(coro::TimePoint(coro::Duration(deadlines[i])), i);
    const coro::TimePoint end{coro::Duration(n)};
    while (auto due = q.PopDue(end)) benchmark::DoNotOptimize(due->item);
  }
  state.SetItemsProcessed(state.iterations() * n);
  state.SetLabel(in_order ? "in deadline order (FIFO)" : "random order (heap)");
}
BENCHMARK(BM_TimerQueue)->Args({1000000, 1})->Args({1000000, 0})->Unit(benchmark::kMillisecond);

coro::Generator<int> Naturals() {
  for (int i = 0;; ++i) co_yield i;
}

// One generator pull: resume, run to co_yield, suspend.
void BM_GeneratorNext(benchmark::State& state) {
  coro::Generator<int> g = Naturals();
  for (auto _ : state) benchmark::DoNotOptimize(g.Next());
}
BENCHMARK(BM_GeneratorNext);

}  // namespace

BENCHMARK_MAIN();
