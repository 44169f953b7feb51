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
#include "common/flags.h"
#include "common/lesson.h"
#include "common/machine.h"
#include "efficiency/experiment.h"
#include "efficiency/parallel.h"
#include "efficiency/run_budget.h"
#include "efficiency/tbb_conclusions.h"
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
  const int cores = lesson::UsableCores();
  efficiency::RequireShortRun(
      efficiency::TbbSeconds({.jobs = jobs, .workers = workers, .items = items,
                              .repeats = repeats, .cores = cores,
                              .iterations = static_cast<double>(iterations),
                              .item_iterations = static_cast<double>(item_iterations)}),
      FLAGS_iterations, FLAGS_jobs, FLAGS_items, FLAGS_item_iterations, FLAGS_workers,
      FLAGS_repeats);
  process::InterruptGuard guard;  // Ctrl-C in the processes mode leaves no child behind

  const efficiency::Job job = efficiency::SpinJob(iterations);
  const efficiency::Job item = efficiency::SpinJob(item_iterations);
  const uint64_t expected_jobs = efficiency::ExpectedTotal(jobs, iterations);
  const uint64_t expected_items = efficiency::ExpectedTotal(items, item_iterations);

  using efficiency::Mode;
  const std::vector<Mode> long_jobs = {
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
  const std::vector<Mode> small_items = {
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

  efficiency::Experiment experiment("tbb", lesson::InEachLanguage([&] {
    return lesson::Format("part 1: %d jobs of %d iterations; part 2: %d items of %d iterations "
                          "(one iteration = one 64-bit multiply-add kept alive by "
                          "benchmark::DoNotOptimize)",
                          jobs, iterations, items, item_iterations);
  }));
  experiment.Title("效率 — oneTBB", "oneTBB tasks vs hand-made threads and processes");
  experiment.Step("Part 1: %d long jobs of %d iterations on %d workers", jobs, iterations, workers);
  experiment.Print("threads: job j on thread j %% %d (a static split, as the tutorial's one "
                   "function per thread); processes: the same split on forked children;",
                   workers);
  experiment.Print("tbb_parallel_for / tbb_task_group: TBB's pool of at most %d threads takes "
                   "the jobs as tasks and balances them by work stealing.",
                   workers);
  experiment.Measure(long_jobs, repeats);
  experiment.Step("Part 2: %d small items of %d iterations each", items, item_iterations);
  experiment.Print("items_thread_per_item: %d std::threads, one per item (created in a loop, "
                   "then all joined) — %d threads on %d cores;",
                   items, items, cores);
  experiment.Print("items_thread_pool: %d threads each taking every %d-th item; items_tbb_*: "
                   "TBB tasks on at most %d threads.",
                   workers, workers, workers);
  experiment.Measure(small_items, repeats);

  const efficiency::Results& results = experiment.results();
  experiment.results()
      .details()
      .Set("item_microseconds", efficiency::ItemMicroseconds(results, items))
      .Set("thread_per_item_extra_microseconds_per_item",
           efficiency::ThreadPerItemExtraMicroseconds(results, items));
  experiment.Finish(efficiency::TbbConclusions(
      results, {.jobs = jobs, .workers = workers, .items = items}, experiment.conditions()));
  return 0;
}
