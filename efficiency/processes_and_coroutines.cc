// efficiency/processes_and_coroutines.cc — 综合优势：多进程+协程 (processes + coroutines)
//
// The tutorial ends its comparison with a claim: "多进程+协程" — several processes, each
// running many coroutines — uses every core and the cheapness of coroutines, for "very
// high performance". Here is that claim measured on a mixed workload: each job computes
// for a while, waits (a sleep standing for I/O), computes, waits again. The ways to run
// many such jobs:
//   coroutines            1 process, 1 thread, one event loop with a coroutine per job:
//                         the waits overlap, but all computing shares one core;
//   threads               a std::thread per job: waits overlap and computing uses every core;
//   threads_gil           the same threads under an emulated GIL (a sleep releases it, as
//                         time.sleep does): what Python threads would do;
//   processes_coroutines  P processes (one per core), each with an event loop running its
//                         share of the jobs as coroutines: the tutorial's recommendation.
// In Python, threads cannot compute in parallel, so processes + coroutines wins by about
// the number of cores. In C++ threads already use every core; what is left to win is the
// cost of creating and scheduling many threads. What it concludes is chosen from its
// figures (processes_and_coroutines_conclusions.h).
//
//   bazel run -c opt //efficiency:processes_and_coroutines
//   bazel run -c opt //efficiency:processes_and_coroutines -- --jobs=1000 --cpu_iterations=100000
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "common/flags.h"
#include "common/lesson.h"
#include "common/machine.h"
#include "common/trace.h"
#include "coroutine/coro/event_loop.h"
#include "coroutine/coro/task.h"
#include "efficiency/event_loop_mode.h"
#include "efficiency/experiment.h"
#include "efficiency/interpreter_lock.h"
#include "efficiency/parallel.h"
#include "efficiency/processes_and_coroutines_conclusions.h"
#include "efficiency/run_budget.h"
#include "efficiency/work.h"
#include "process/interrupt_guard.h"

ABSL_FLAG(int, jobs, 100, "number of jobs (each: compute, wait, compute, wait, ...)");
ABSL_FLAG(int64_t, cpu_iterations, 500'000, "loop iterations in each computing step");
ABSL_FLAG(absl::Duration, wait, absl::Milliseconds(10), "each waiting step (a sleep)");
ABSL_FLAG(int, rounds, 2, "compute-then-wait rounds per job");
ABSL_FLAG(int, processes, 0, "P for processes_coroutines (0: one per usable core)");
ABSL_FLAG(int, single_max_jobs, 10,
          "the single mode runs at most this many jobs and scales its time up to --jobs");
ABSL_FLAG(absl::Duration, switch_interval, absl::Milliseconds(5),
          "switch interval of the emulated GIL in threads_gil (CPython: 5 ms); 1us to 1s, as "
          "CPython allows");
ABSL_FLAG(int, repeats, 3, "runs of each mode; the table shows the median and the spread");

namespace {

struct Shape {
  int rounds;
  uint64_t cpu_iterations;
  std::chrono::nanoseconds wait;
};

// A job as plain blocking code (single, threads).
uint64_t MixedJob(int job, Shape shape) {
  uint64_t state = efficiency::JobSeed(job);
  for (int r = 0; r < shape.rounds; ++r) {
    state = efficiency::Spin(shape.cpu_iterations, state);  // compute
    trace::Span waiting("wait", trace::kSleep);
    std::this_thread::sleep_for(shape.wait);  // wait (blocks this thread)
  }
  return state;
}

// The same job as a coroutine: computing runs on the loop's thread (nothing else on this
// loop runs meanwhile); waiting suspends it and lets the loop run the others.
coro::Task<uint64_t> AsyncMixedJob(int job, Shape shape) {
  uint64_t state = efficiency::JobSeed(job);
  for (int r = 0; r < shape.rounds; ++r) {
    state = efficiency::Spin(shape.cpu_iterations, state);
    co_await coro::Sleep(shape.wait);
  }
  co_return state;
}

}  // namespace

int main(int argc, char** argv) {
  lesson::ParseFlags(argc, argv,
                     "Mixed compute+wait jobs: one event loop vs threads vs threads under a GIL "
                     "vs P processes each running an event loop.");
  lesson::RequireInRange(FLAGS_jobs, 1, 4000);
  lesson::RequireInRange(FLAGS_cpu_iterations, int64_t{0}, int64_t{1'000'000'000});
  lesson::RequireInRange(FLAGS_wait, absl::ZeroDuration(), absl::Seconds(10));
  lesson::RequireInRange(FLAGS_rounds, 1, 100);
  lesson::RequireInRange(FLAGS_processes, 0, 64);
  lesson::RequireInRange(FLAGS_single_max_jobs, 1, 4000);
  // CPython refuses a zero switch interval and counts it in whole microseconds (see
  // //efficiency:gil); at zero the emulated lock would change hands at every checkpoint.
  lesson::RequireInRange(FLAGS_switch_interval, absl::Microseconds(1), absl::Seconds(1));
  lesson::RequireInRange(FLAGS_repeats, 1, 50);

  const int jobs = absl::GetFlag(FLAGS_jobs);
  const Shape shape{absl::GetFlag(FLAGS_rounds),
                    static_cast<uint64_t>(absl::GetFlag(FLAGS_cpu_iterations)),
                    absl::ToChronoNanoseconds(absl::GetFlag(FLAGS_wait))};
  const int cores = lesson::UsableCores();
  const int processes =
      absl::GetFlag(FLAGS_processes) > 0 ? absl::GetFlag(FLAGS_processes) : cores;
  const int single_jobs = std::min(jobs, absl::GetFlag(FLAGS_single_max_jobs));
  const std::chrono::nanoseconds switch_interval =
      absl::ToChronoNanoseconds(absl::GetFlag(FLAGS_switch_interval));
  const int repeats = absl::GetFlag(FLAGS_repeats);
  efficiency::RequireShortRun(
      efficiency::ProcessesAndCoroutinesSeconds(
          {.jobs = jobs, .single_jobs = single_jobs, .rounds = shape.rounds,
           .processes = processes, .repeats = repeats, .cores = cores,
           .cpu_iterations = static_cast<double>(shape.cpu_iterations),
           .wait_seconds = absl::ToDoubleSeconds(absl::GetFlag(FLAGS_wait))}),
      FLAGS_jobs, FLAGS_cpu_iterations, FLAGS_wait, FLAGS_rounds, FLAGS_processes,
      FLAGS_single_max_jobs, FLAGS_repeats);
  process::InterruptGuard guard;  // Ctrl-C leaves no child behind

  const uint64_t per_job_iterations = shape.cpu_iterations * static_cast<uint64_t>(shape.rounds);
  const uint64_t expected = efficiency::ExpectedTotal(jobs, per_job_iterations);
  const efficiency::Job job = [shape](int j) { return MixedJob(j, shape); };
  const efficiency::AsyncJob async_job = [shape](int j) { return AsyncMixedJob(j, shape); };

  // Process p runs jobs p, p+P, p+2P, ... as coroutines on its own event loop.
  const efficiency::Job loop_in_process = [&](int p) -> uint64_t {
    const int mine = (jobs - p + processes - 1) / processes;
    absl::StatusOr<uint64_t> sum = efficiency::RunOnEventLoop(
        mine, [p, processes, shape](int k) { return AsyncMixedJob(p + k * processes, shape); });
    if (!sum.ok()) {  // in the child: say why, and fail; the parent sees the exit status
      lesson::PrintError("event loop in process %d: %s", p, std::string(sum.status().message()));
      ::_exit(4);
    }
    return *sum;
  };

  using efficiency::Mode;
  const std::vector<Mode> modes = {
      {"single", 1, [&] { return efficiency::RunSerially(single_jobs, job); },
       efficiency::ExpectedTotal(single_jobs, per_job_iterations)},
      {"coroutines", jobs, [&] { return efficiency::RunOnEventLoop(jobs, async_job); }, expected},
      {"threads", jobs, [&] { return efficiency::RunOnThreads(jobs, jobs, job); }, expected},
      {"threads_gil", jobs,
       [&] {
         // The same jobs as Python threads: computing holding the GIL, each wait (a
         // time.sleep) with it released.
         efficiency::EmulatedGil gil(switch_interval);
         return efficiency::RunOnThreads(jobs, jobs, [&gil, shape](int j) {
           efficiency::EmulatedGil::Holder hold(gil);
           return efficiency::ComputeThenBlock(gil, shape.rounds, shape.cpu_iterations,
                                               shape.wait, efficiency::JobSeed(j));
         });
       },
       expected},
      {"processes_coroutines", processes,
       [&] { return efficiency::RunOnProcesses(processes, processes, loop_in_process); },
       expected},
  };

  const int per_process = (jobs + processes - 1) / processes;
  efficiency::Experiment experiment("processes_and_coroutines", lesson::InEachLanguage([&] {
    return lesson::Format("%d jobs, each %d rounds of (%d iterations of computing, then a %s wait)",
                          jobs, shape.rounds, shape.cpu_iterations,
                          absl::FormatDuration(absl::GetFlag(FLAGS_wait)));
  }));
  experiment.Title("综合优势：多进程+协程", "Processes + coroutines on a mixed workload");
  experiment.Step("Work: %s", experiment.results().work().str());
  if (single_jobs < jobs) {
    experiment.Print("single: one thread, job after job (%d jobs, time scaled x%d/%d).",
                     single_jobs, jobs, single_jobs);
  } else {
    experiment.Print("single: one thread, job after job.");
  }
  experiment.Print("coroutines: %d coroutines on one event loop (one thread). threads: %d "
                   "std::threads. threads_gil: the same under an emulated GIL (released while "
                   "sleeping, as in Python).",
                   jobs, jobs);
  experiment.Print("processes_coroutines: %d processes, each an event loop with about %d "
                   "coroutines.",
                   processes, per_process);
  experiment.Measure(modes, repeats);

  efficiency::Results& results = experiment.results();
  if (single_jobs < jobs) {
    const double factor = static_cast<double>(jobs) / single_jobs;
    results.Scale("single", factor,
                  lesson::Format("measured on %d of the %d jobs and scaled x%.1f (jobs one after "
                                 "the other take N times one job)",
                                 single_jobs, jobs, factor));
  }
  results.Note("processes_coroutines",
               lesson::Format("%d processes x an event loop of ~%d coroutines", processes,
                              per_process));
  const efficiency::Fastest fastest = efficiency::FastestMode(results);
  results.details()
      .Set("processes", processes)
      .Set("coroutines_per_process", per_process)
      .Set("winner", fastest.mode)
      .Set("winner_margins", fastest.margins)
      .Set("processes_coroutines_over_threads",
           results.Median("threads") / results.Median("processes_coroutines"))
      .Set("processes_coroutines_over_threads_gil",
           results.Median("threads_gil") / results.Median("processes_coroutines"))
      .Set("processes_coroutines_over_coroutines",
           results.Median("coroutines") / results.Median("processes_coroutines"));
  experiment.Finish(efficiency::ProcessesAndCoroutinesConclusions(
      results, {.jobs = jobs, .processes = processes}, experiment.conditions()));
  return 0;
}
