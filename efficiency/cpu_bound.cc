// efficiency/cpu_bound.cc — 效率 / 任务类型 / 全局解释锁 (CPU-bound work: run1 and run2)
//
// The tutorial times two CPU-bound loops (run1, run2: `for _ in range(10**9): pass`)
// run one after the other, then in two threads, then in two processes: 46.8 s, 43.9 s and
// 23.3 s. Threads did not help because CPython's GIL lets one thread execute at a time;
// processes did, because each has its own interpreter and its own GIL.
// C++ has no GIL: two threads of one process run on two cores at once, so threads are as
// fast as processes (and as oneTBB, which schedules tasks on a pool of threads). The
// loop is kept alive honestly: see work.h for what one iteration does and why the
// compiler cannot delete it.
//
// It also measures the section's opening claim, "time and space cannot both be had": the
// same job with one core and more waiting, or with two cores and less waiting (the
// single and threads rows: CPU-seconds against wall time).
//
// What it concludes is chosen from its figures (cpu_bound_conclusions.h): on one usable
// core, a busy machine or an unoptimised build it says which, and what it measured.
//
//   bazel run -c opt //efficiency:cpu_bound
//   bazel run -c opt //efficiency:cpu_bound -- --iterations=1e9 --repeats=5 --json
//   bazel run -c opt //efficiency:cpu_bound -- --trace=/tmp/cpu.json   (two cores busy at once)
#include <cstdint>
#include <vector>

#include "absl/flags/flag.h"
#include "common/flags.h"
#include "common/lesson.h"
#include "common/machine.h"
#include "efficiency/cpu_bound_conclusions.h"
#include "efficiency/experiment.h"
#include "efficiency/parallel.h"
#include "efficiency/run_budget.h"
#include "efficiency/work.h"
#include "process/interrupt_guard.h"

ABSL_FLAG(int64_t, iterations, 150'000'000,
          "loop iterations per job (the tutorial's run1/run2 loop 10^9 times each)");
ABSL_FLAG(int, jobs, 2, "jobs (the tutorial has two: run1 and run2)");
ABSL_FLAG(int, workers, 2, "threads / processes / TBB threads for the parallel modes");
ABSL_FLAG(int, repeats, 3, "runs of each mode; the table shows the median and the spread");

int main(int argc, char** argv) {
  lesson::ParseFlags(argc, argv,
                     "CPU-bound jobs: one thread vs threads vs processes vs oneTBB (no GIL in "
                     "C++).");
  lesson::RequireInRange(FLAGS_iterations, int64_t{1}, int64_t{20'000'000'000});
  lesson::RequireInRange(FLAGS_jobs, 1, 256);
  lesson::RequireInRange(FLAGS_workers, 1, 64);
  lesson::RequireInRange(FLAGS_repeats, 1, 50);

  const uint64_t iterations = static_cast<uint64_t>(absl::GetFlag(FLAGS_iterations));
  const int jobs = absl::GetFlag(FLAGS_jobs);
  const int workers = absl::GetFlag(FLAGS_workers);
  const int repeats = absl::GetFlag(FLAGS_repeats);
  efficiency::RequireShortRun(
      efficiency::CpuBoundSeconds({.jobs = jobs, .workers = workers, .repeats = repeats,
                                   .cores = lesson::UsableCores(),
                                   .iterations = static_cast<double>(iterations)}),
      FLAGS_iterations, FLAGS_jobs, FLAGS_workers, FLAGS_repeats);
  // Ctrl-C during the processes mode must leave no child behind: the guard forwards it
  // to the children and reaps them (process/interrupt_guard.h).
  process::InterruptGuard guard;

  // The tutorial's run1 and run2: job j spins `iterations` times from its own seed.
  const efficiency::Job job = efficiency::SpinJob(iterations);
  // Every mode must return this sum of the jobs' final states (computed without looping).
  const uint64_t expected = efficiency::ExpectedTotal(jobs, iterations);
  const std::vector<efficiency::Mode> modes = {
      {"single", 1, [&] { return efficiency::RunSerially(jobs, job); }, expected},
      {"threads", workers, [&] { return efficiency::RunOnThreads(jobs, workers, job); }, expected},
      {"processes", workers, [&] { return efficiency::RunOnProcesses(jobs, workers, job); },
       expected},
      {"tbb", workers, [&] { return efficiency::RunTbbParallelFor(jobs, workers, job); },
       expected},
  };

  // Observes the machine first: how busy it is, how many cores this process may use.
  efficiency::Experiment experiment("cpu_bound", lesson::InEachLanguage([&] {
    return lesson::Format("%d jobs of %d iterations (one iteration = one 64-bit multiply-add, "
                          "kept alive by benchmark::DoNotOptimize)",
                          jobs, iterations);
  }));
  experiment.Title("效率 / 任务类型 — CPU密集型", "CPU-bound work: run1 + run2");
  experiment.Step("Work: %s", experiment.results().work().str());
  experiment.Print("Modes: single (one thread runs every job), threads (%d std::threads), "
                   "processes (%d forked children),",
                   workers, workers);
  experiment.Print("       tbb (tbb::parallel_for over the jobs, at most %d threads). Each mode "
                   "must return %d.",
                   workers, expected);
  experiment.Measure(modes, repeats);

  const efficiency::Results& results = experiment.results();
  experiment.results()
      .details()
      .Set("ns_per_iteration", results.Median("single") * 1e9 /
                                   (static_cast<double>(jobs) * static_cast<double>(iterations)))
      .Set("checksum", std::to_string(expected))
      .Set("tutorial_seconds_single", efficiency::kTutorialCpuSingle)
      .Set("tutorial_seconds_threads", efficiency::kTutorialCpuThreads)
      .Set("tutorial_seconds_processes", efficiency::kTutorialCpuProcesses);
  experiment.Finish(efficiency::CpuBoundConclusions(
      results, {.jobs = jobs, .workers = workers, .iterations = static_cast<double>(iterations)},
      experiment.conditions()));
  return 0;
}
