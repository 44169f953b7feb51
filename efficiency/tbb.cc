// efficiency/tbb.cc — oneTBB tasks vs hand-made threads and processes (design card)
//
// The tutorial compares threads and processes; C++ has a third way to use every core:
// a task scheduler. oneTBB keeps one pool of worker threads (one per core) and runs
// "tasks" (small function objects) on them, balancing the load by work stealing.
// Part 1 runs the same CPU-bound jobs on hand-made threads, on processes, with
// tbb::parallel_for and with tbb::task_group: on long jobs they are equal. Part 2 has many
// small work items: one std::thread per item (thousands of threads: creation, scheduling
// and memory for each) against TBB tasks on two threads, and a hand-made pool of two
// threads for reference. That is the cost of oversubscription.
//
//   bazel run -c opt //efficiency:tbb
//   bazel run -c opt //efficiency:tbb -- --items=5000 --item_iterations=5000
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_format.h"
#include "common/flags.h"
#include "common/json.h"
#include "common/json_flag.h"
#include "common/lesson.h"
#include "efficiency/measure.h"
#include "efficiency/parallel.h"
#include "efficiency/results.h"
#include "efficiency/run_budget.h"
#include "efficiency/work.h"
#include "process/interrupt_guard.h"

ABSL_FLAG(int64_t, iterations, 40'000'000, "part 1: loop iterations per job");
ABSL_FLAG(int, jobs, 8, "part 1: number of jobs");
ABSL_FLAG(int, workers, 2, "threads / processes / TBB threads (part 1; part 2's pool and TBB)");
ABSL_FLAG(int, items, 2000, "part 2: number of small work items (one thread each in "
                            "items_thread_per_item)");
ABSL_FLAG(int64_t, item_iterations, 20'000, "part 2: loop iterations per item");
ABSL_FLAG(int, repeats, 3, "runs of each mode; the table shows the median and the spread");

int main(int argc, char** argv) {
  lesson::ParseFlags(argc, argv,
                     "oneTBB parallel_for / task_group vs hand-made threads and processes; then "
                     "many small items: a thread each vs TBB tasks.");
  lesson::RequireInRange(FLAGS_iterations, int64_t{1}, int64_t{10'000'000'000});
  lesson::RequireInRange(FLAGS_jobs, 1, 1024);
  lesson::RequireInRange(FLAGS_workers, 1, 64);
  lesson::RequireInRange(FLAGS_items, 1, 10'000);
  lesson::RequireInRange(FLAGS_item_iterations, int64_t{1}, int64_t{100'000'000});
  lesson::RequireInRange(FLAGS_repeats, 1, 50);

  const uint64_t iterations = static_cast<uint64_t>(absl::GetFlag(FLAGS_iterations));
  const int jobs = absl::GetFlag(FLAGS_jobs);
  const int workers = absl::GetFlag(FLAGS_workers);
  const int items = absl::GetFlag(FLAGS_items);
  const uint64_t item_iterations = static_cast<uint64_t>(absl::GetFlag(FLAGS_item_iterations));
  const int repeats = absl::GetFlag(FLAGS_repeats);
  const bool json = lesson::JsonRequested();

  // Refuse what would take more than a minute. Each repeat: part 1 runs the jobs on one
  // thread, then four ways on min(workers, jobs, cores) cores; part 2 runs the items on one
  // thread, on a thread each (all cores, plus creating every thread), and three ways on
  // min(workers, items, cores) cores.
  const int cores = efficiency::UsableCores();
  const double part1_seconds = jobs * static_cast<double>(iterations) * efficiency::kSpinIterationSeconds;
  const double part2_seconds =
      items * static_cast<double>(item_iterations) * efficiency::kSpinIterationSeconds;
  efficiency::RequireShortRun(
      repeats * (part1_seconds * (1 + 4.0 / std::min({workers, jobs, cores})) +
                 part2_seconds * (1 + 1.0 / std::min(items, cores) +
                          3.0 / std::min({workers, items, cores})) +
                 items * efficiency::kThreadStartSeconds +
                 std::min(workers, jobs) * efficiency::kProcessStartSeconds),
      FLAGS_iterations, FLAGS_jobs, FLAGS_items, FLAGS_item_iterations, FLAGS_workers,
      FLAGS_repeats);
  process::InterruptGuard guard;

  const efficiency::Job job = [iterations](int j) {
    return efficiency::Spin(iterations, efficiency::JobSeed(j));
  };
  const efficiency::Job item = [item_iterations](int j) {
    return efficiency::Spin(item_iterations, efficiency::JobSeed(j));
  };
  const uint64_t expected_jobs = efficiency::ExpectedTotal(jobs, iterations);
  const uint64_t expected_items = efficiency::ExpectedTotal(items, item_iterations);

  using efficiency::Mode;
  std::vector<Mode> long_jobs = {
      {"single", 1, [&] { return efficiency::RunSerially(jobs, job); }, expected_jobs},
      {"threads", workers, [&] { return efficiency::RunOnThreads(jobs, workers, job); },
       expected_jobs},
      {"processes", workers, [&] { return efficiency::RunOnProcesses(jobs, workers, job); },
       expected_jobs},
      {"tbb_parallel_for", workers,
       [&] { return efficiency::RunTbbParallelFor(jobs, workers, job); }, expected_jobs},
      {"tbb_task_group", workers, [&] { return efficiency::RunTbbTaskGroup(jobs, workers, job); },
       expected_jobs},
  };
  const std::string items_baseline = "items_single";
  std::vector<Mode> small_items = {
      {items_baseline, 1, [&] { return efficiency::RunSerially(items, item); }, expected_items,
       items_baseline},
      {"items_thread_per_item", items, [&] { return efficiency::RunOnThreads(items, items, item); },
       expected_items, items_baseline},
      {"items_thread_pool", workers, [&] { return efficiency::RunOnThreads(items, workers, item); },
       expected_items, items_baseline},
      {"items_tbb_parallel_for", workers,
       [&] { return efficiency::RunTbbParallelFor(items, workers, item); }, expected_items,
       items_baseline},
      {"items_tbb_task_group", workers,
       [&] { return efficiency::RunTbbTaskGroup(items, workers, item); }, expected_items,
       items_baseline},
  };

  const std::string work = absl::StrFormat(
      "part 1: %d jobs of %d iterations; part 2: %d items of %d iterations (one iteration = one "
      "64-bit multiply-add kept alive by benchmark::DoNotOptimize)",
      jobs, iterations, items, item_iterations);
  // Created before measuring: it records how busy the machine was beforehand.
  efficiency::Results results("tbb", work);
  if (!json) {
    lesson::Title("效率 — oneTBB", "oneTBB tasks vs hand-made threads and processes");
    lesson::Step(absl::StrFormat("Part 1: %d long jobs of %d iterations on %d workers", jobs,
                                 iterations, workers));
    lesson::Print("threads: job j on thread j %% %d (a static split, as the tutorial's one "
                  "function per thread); processes: the same split on forked children;", workers);
    lesson::Print("tbb_parallel_for / tbb_task_group: TBB's pool of at most %d threads takes "
                  "the jobs as tasks and balances them by work stealing.", workers);
  }
  absl::StatusOr<std::vector<efficiency::ModeResult>> part1 = efficiency::Measure(
      long_jobs, repeats, json ? nullptr : efficiency::PrintEachSample(repeats));
  if (!part1.ok()) efficiency::ExitWithError("tbb", part1.status());
  if (!json) {
    lesson::Step(absl::StrFormat("Part 2: %d small items of %d iterations each", items,
                                 item_iterations));
    lesson::Print("items_thread_per_item: %d std::threads, one per item (created in a loop, "
                  "then all joined) — %d threads on %d cores;", items, items, efficiency::UsableCores());
    lesson::Print("items_thread_pool: %d threads each taking every %d-th item; items_tbb_*: "
                  "TBB tasks on at most %d threads.", workers, workers, workers);
  }
  absl::StatusOr<std::vector<efficiency::ModeResult>> part2 = efficiency::Measure(
      small_items, repeats, json ? nullptr : efficiency::PrintEachSample(repeats));
  if (!part2.ok()) efficiency::ExitWithError("tbb", part2.status());

  results.Add(*part1);
  results.Add(*part2);
  results.RecordLoadAfter();
  const double item_us =
      results.Median(items_baseline) * 1e6 / static_cast<double>(items);
  const double thread_per_item_overhead_us =
      (results.Median("items_thread_per_item") - results.Median("items_tbb_task_group")) * 1e6 /
      static_cast<double>(items);
  results.extra()
      .Set("item_microseconds", item_us)
      .Set("thread_per_item_extra_microseconds_per_item", thread_per_item_overhead_us);
  if (json) {
    results.PrintJson();
    return 0;
  }
  lesson::Step("Results");
  results.PrintTable();
  lesson::Notice({
      absl::StrFormat("Long jobs: threads %.2fx, processes %.2fx, parallel_for %.2fx, task_group "
                      "%.2fx. When each piece of work is long, how it reaches a core hardly "
                      "matters; TBB saves writing the split and joining by hand.",
                      results.Speedup("threads"), results.Speedup("processes"),
                      results.Speedup("tbb_parallel_for"), results.Speedup("tbb_task_group")),
      absl::StrFormat("Small items (%.1f us each): a thread per item %.2fx, a pool of %d "
                      "threads %.2fx, TBB tasks %.2fx (parallel_for) and %.2fx (task_group).",
                      item_us, results.Speedup("items_thread_per_item"), workers,
                      results.Speedup("items_thread_pool"),
                      results.Speedup("items_tbb_parallel_for"),
                      results.Speedup("items_tbb_task_group")),
      absl::StrFormat("Each extra thread cost about %.1f us per item here (creating it, "
                      "scheduling it among %d others, destroying it): comparable to the item "
                      "itself. A task costs far less: TBB reuses %d threads and only queues "
                      "function objects.",
                      thread_per_item_overhead_us, items, workers),
      "More threads than cores (oversubscription) never adds speed for CPU work; it adds "
      "creation, context switches and a stack per thread. Python programmers get the same "
      "advice (concurrent.futures pools); the tutorial's 'threads are cheap' holds only "
      "next to processes.",
  });
  return 0;
}
