// efficiency/cpu_bound.cc — 任务类型 / 全局解释锁 (CPU-bound work: run1 and run2)
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
//   bazel run -c opt //efficiency:cpu_bound
//   bazel run -c opt //efficiency:cpu_bound -- --iterations=1000000000 --repeats=5 --json
#include <algorithm>
#include <cmath>
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

ABSL_FLAG(int64_t, iterations, 150'000'000,
          "loop iterations per job (the tutorial's run1/run2 loop 10^9 times each)");
ABSL_FLAG(int, jobs, 2, "jobs (the tutorial has two: run1 and run2)");
ABSL_FLAG(int, workers, 2, "threads / processes / TBB threads for the parallel modes");
ABSL_FLAG(int, repeats, 3, "runs of each mode; the table shows the median and the spread");

namespace {

constexpr double kTutorialSingle = 46.8, kTutorialThreads = 43.9, kTutorialProcesses = 23.3;

}  // namespace

int main(int argc, char** argv) {
  lesson::ParseFlags(argc, argv,
                     "CPU-bound jobs: one thread vs threads vs processes vs oneTBB (no GIL in C++).");
  lesson::RequireInRange(FLAGS_iterations, int64_t{1}, int64_t{20'000'000'000});
  lesson::RequireInRange(FLAGS_jobs, 1, 256);
  lesson::RequireInRange(FLAGS_workers, 1, 64);
  lesson::RequireInRange(FLAGS_repeats, 1, 50);

  const uint64_t iterations = static_cast<uint64_t>(absl::GetFlag(FLAGS_iterations));
  const int jobs = absl::GetFlag(FLAGS_jobs);
  const int workers = absl::GetFlag(FLAGS_workers);
  const int repeats = absl::GetFlag(FLAGS_repeats);
  const bool json = lesson::JsonRequested();

  // Each repeat: all the jobs on one thread, then three parallel modes spreading them over
  // at most min(workers, jobs, cores) cores. Refuse what would take more than a minute.
  const double parallel = std::min({workers, jobs, efficiency::UsableCores()});
  const double serial_seconds = jobs * static_cast<double>(iterations) *
                                efficiency::kSpinIterationSeconds;
  efficiency::RequireShortRun(
      repeats * (serial_seconds * (1 + 3 / parallel) +
                 std::min(workers, jobs) * (efficiency::kThreadStartSeconds +
                                            efficiency::kProcessStartSeconds)),
      FLAGS_iterations, FLAGS_jobs, FLAGS_workers, FLAGS_repeats);
  process::InterruptGuard guard;  // Ctrl-C during the processes mode leaves no child behind

  // The tutorial's run1 and run2: job j spins `iterations` times from its own seed.
  const efficiency::Job job = [iterations](int j) {
    return efficiency::Spin(iterations, efficiency::JobSeed(j));
  };
  // Every mode must return this sum of the jobs' final states (computed without looping).
  const uint64_t expected = efficiency::ExpectedTotal(jobs, iterations);

  std::vector<efficiency::Mode> modes = {
      {"single", 1, [&] { return efficiency::RunSerially(jobs, job); }, expected},
      {"threads", workers, [&] { return efficiency::RunOnThreads(jobs, workers, job); }, expected},
      {"processes", workers, [&] { return efficiency::RunOnProcesses(jobs, workers, job); },
       expected},
      {"tbb", workers, [&] { return efficiency::RunTbbParallelFor(jobs, workers, job); },
       expected},
  };

  const std::string work =
      absl::StrFormat("%d jobs of %d iterations (one iteration = one 64-bit multiply-add, kept "
                      "alive by benchmark::DoNotOptimize)", jobs, iterations);
  // Created before measuring: it records how busy the machine was beforehand.
  efficiency::Results results("cpu_bound", work);
  if (!json) {
    lesson::Title("任务类型 / 全局解释锁 — CPU密集型", "CPU-bound work: run1 + run2");
    lesson::Step(absl::StrFormat("Work: %s", work));
    lesson::Print("Modes: single (one thread runs every job), threads (%d std::threads), "
                  "processes (%d forked children),", workers, workers);
    lesson::Print("       tbb (tbb::parallel_for over the jobs, at most %d threads). "
                  "Each mode must return %d.", workers, expected);
    lesson::Step(absl::StrFormat("Measuring: %d runs of each mode, interleaved", repeats));
  }
  absl::StatusOr<std::vector<efficiency::ModeResult>> measured = efficiency::Measure(
      modes, repeats, json ? nullptr : efficiency::PrintEachSample(repeats));
  if (!measured.ok()) efficiency::ExitWithError("cpu_bound", measured.status());

  results.Add(*measured);
  results.RecordLoadAfter();
  const double ns_per_iteration =
      results.Median("single") * 1e9 / (static_cast<double>(jobs) * static_cast<double>(iterations));
  results.extra()
      .Set("ns_per_iteration", ns_per_iteration)
      .Set("checksum", absl::StrFormat("%d", expected))
      .Set("tutorial_seconds_single", kTutorialSingle)
      .Set("tutorial_seconds_threads", kTutorialThreads)
      .Set("tutorial_seconds_processes", kTutorialProcesses);
  if (json) {
    results.PrintJson();
    return 0;
  }
  lesson::Step("Results");
  results.PrintTable();
  lesson::Notice({
      absl::StrFormat("The tutorial (CPython): single %.1f s, threads %.1f s (%.2fx), processes "
                      "%.1f s (%.2fx). Here: threads %.2fx, processes %.2fx, tbb %.2fx.",
                      kTutorialSingle, kTutorialThreads, kTutorialSingle / kTutorialThreads,
                      kTutorialProcesses, kTutorialSingle / kTutorialProcesses,
                      results.Speedup("threads"), results.Speedup("processes"),
                      results.Speedup("tbb")),
      "In CPython the GIL lets one thread run Python code at a time, so its two threads took "
      "turns (about 1x). C++ has no interpreter lock: the two threads run on two cores at "
      "once, as the two processes do. The 'cores' column shows it: about 2 for every "
      "parallel mode here, about 1 for CPython's threads.",
      "Threads, processes and TBB end up equal for this work: each job is long and touches no "
      "shared data, so starting a thread (tens of microseconds) or forking a process (a few "
      "hundred) is invisible next to it. //efficiency:costs measures those costs.",
      absl::StrFormat("One iteration here took %.2f ns; the tutorial's Python loop took "
                      "%.1f ns per iteration (46.8 s / 2x10^9), on its own machine.",
                      ns_per_iteration, kTutorialSingle / 2e9 * 1e9),
      "Without benchmark::DoNotOptimize (or a result that is used) the optimiser deletes an "
      "empty loop and the 'experiment' times nothing: work.h explains what is kept.",
      "The speedup cannot exceed the number of free cores: on a busy machine (see 'cores were "
      "busy before the run') the parallel modes lose first. Run it again when it is quiet.",
  });
  return 0;
}
