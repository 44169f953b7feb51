// efficiency/io_bound.cc — 任务类型 (I/O-bound work: run3 and run4)
//
// The tutorial's run3/run4 each sleep three times for 3 s (`time.sleep` stands for a
// blocking I/O call). One after the other they take 18.0 s; in two threads 9.0 s; in two
// processes 9.1 s: while a thread sleeps it needs no CPU, so waits overlap whatever the
// GIL does. This experiment runs the same jobs (sleep scaled down by --sleep) one after
// the other, in threads, in processes and as coroutines on one event loop (asyncio's
// way). With --workers=1000 it shows how each way scales, and the memory each needed:
// every mode runs in its own fresh child process so that its peak RSS is its own.
// In C++ the picture is the same as in Python for waiting: no interpreter lock is
// involved while a thread sleeps, and no core is needed either: the waits overlap on one
// core too. What it concludes is chosen from its figures (io_bound_conclusions.h).
//
//   bazel run -c opt //efficiency:io_bound
//   bazel run -c opt //efficiency:io_bound -- --workers=1000
//   bazel run -c opt //efficiency:io_bound -- --trace=/tmp/io.json   (the sleeps overlapping)
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "common/flags.h"
#include "common/lesson.h"
#include "common/trace.h"
#include "coroutine/coro/event_loop.h"
#include "coroutine/coro/task.h"
#include "efficiency/event_loop_mode.h"
#include "efficiency/experiment.h"
#include "efficiency/io_bound_conclusions.h"
#include "efficiency/measure.h"
#include "efficiency/parallel.h"
#include "efficiency/run_budget.h"
#include "efficiency/work.h"
#include "process/interrupt_guard.h"

ABSL_FLAG(absl::Duration, sleep, absl::Milliseconds(30),
          "one sleep (the tutorial's time.sleep(3), scaled down)");
ABSL_FLAG(int, sleeps_per_job, 3, "sleeps in one job (the tutorial's `for _ in range(3)`)");
ABSL_FLAG(int, workers, 2,
          "jobs, and threads / processes / coroutines to run them (one job each; the tutorial "
          "has two: run3 and run4)");
ABSL_FLAG(int, single_max_jobs, 10,
          "the single mode runs at most this many jobs one after the other and scales its "
          "time up to --workers jobs (said in the table), so that --workers=1000 does not "
          "take 1000 jobs' time");
ABSL_FLAG(int, repeats, 3, "runs of each mode; the table shows the median and the spread");

namespace {

// A blocking job: run3. Returns its seed, so the total proves that every job ran.
uint64_t SleepyJob(int job, int sleeps, std::chrono::nanoseconds each) {
  for (int s = 0; s < sleeps; ++s) {
    trace::Span sleeping("time.sleep", trace::kSleep);
    std::this_thread::sleep_for(each);  // blocks the thread
  }
  return efficiency::JobSeed(job);
}

// The same job as a coroutine: `await asyncio.sleep(3)` instead of time.sleep(3). The
// coroutines share the loop's thread, so each has its own track in the trace.
coro::Task<uint64_t> AsyncSleepyJob(int job, int sleeps, std::chrono::nanoseconds each) {
  const uint64_t track = trace::Enabled() ? trace::NewId() : 0;
  const std::string name = trace::Enabled() ? absl::StrFormat("job %d", job) : std::string();
  if (track != 0) trace::AsyncBegin(name, trace::kTask, track);
  for (int s = 0; s < sleeps; ++s) {
    if (track != 0) trace::AsyncBegin("asyncio.sleep", trace::kSleep, track);
    co_await coro::Sleep(each);  // suspends, the loop goes on with the others
    if (track != 0) trace::AsyncEnd("asyncio.sleep", trace::kSleep, track);
  }
  if (track != 0) trace::AsyncEnd(name, trace::kTask, track);
  co_return efficiency::JobSeed(job);
}

uint64_t SumOfSeeds(int jobs) {
  uint64_t total = 0;
  for (int j = 0; j < jobs; ++j) total += efficiency::JobSeed(j);
  return total;
}

}  // namespace

int main(int argc, char** argv) {
  lesson::ParseFlags(argc, argv,
                     "Sleep-bound jobs: one after the other vs threads vs processes vs "
                     "coroutines, with the peak memory of each.");
  lesson::RequireInRange(FLAGS_sleep, absl::Milliseconds(1), absl::Seconds(10));
  lesson::RequireInRange(FLAGS_sleeps_per_job, 1, 100);
  lesson::RequireInRange(FLAGS_workers, 1, 4000);
  lesson::RequireInRange(FLAGS_single_max_jobs, 1, 4000);
  lesson::RequireInRange(FLAGS_repeats, 1, 50);

  const std::chrono::nanoseconds each = absl::ToChronoNanoseconds(absl::GetFlag(FLAGS_sleep));
  const int sleeps = absl::GetFlag(FLAGS_sleeps_per_job);
  const int workers = absl::GetFlag(FLAGS_workers);
  const int single_jobs = std::min(workers, absl::GetFlag(FLAGS_single_max_jobs));
  const int repeats = absl::GetFlag(FLAGS_repeats);
  const double one_job = sleeps * absl::ToDoubleSeconds(absl::GetFlag(FLAGS_sleep));
  efficiency::RequireShortRun(
      efficiency::IoBoundSeconds({.workers = workers, .single_jobs = single_jobs,
                                  .repeats = repeats, .one_job_seconds = one_job}),
      FLAGS_sleep, FLAGS_sleeps_per_job, FLAGS_workers, FLAGS_single_max_jobs, FLAGS_repeats);
  process::InterruptGuard guard;  // Ctrl-C leaves no child behind

  const efficiency::Job job = [=](int j) { return SleepyJob(j, sleeps, each); };
  const efficiency::AsyncJob async_job = [=](int j) { return AsyncSleepyJob(j, sleeps, each); };
  const uint64_t expected = SumOfSeeds(workers);
  // Every mode runs in a fresh child process (in_child), so each peak RSS is its own.
  using efficiency::Mode;
  const std::vector<Mode> modes = {
      {"single", 1, [&] { return efficiency::RunSerially(single_jobs, job); },
       SumOfSeeds(single_jobs), "single", true},
      {"threads", workers, [&] { return efficiency::RunOnThreads(workers, workers, job); },
       expected, "single", true},
      {"processes", workers, [&] { return efficiency::RunOnProcesses(workers, workers, job); },
       expected, "single", true},
      {"coroutines", workers, [&] { return efficiency::RunOnEventLoop(workers, async_job); },
       expected, "single", true},
  };

  efficiency::Experiment experiment("io_bound", lesson::InEachLanguage([&] {
    return lesson::Format("%d jobs of %d sleeps of %s (the tutorial: 2 jobs of 3 sleeps of 3 s)",
                          workers, sleeps, absl::FormatDuration(absl::GetFlag(FLAGS_sleep)));
  }));
  experiment.Title("任务类型 — I/O密集型", "I/O-bound work: run3 + run4");
  experiment.Step("Work: %s", experiment.results().work().str());
  if (single_jobs < workers) {
    experiment.Print("single: one thread runs the jobs one after the other (%d of them, time "
                     "scaled x%d/%d).",
                     single_jobs, workers, single_jobs);
  } else {
    experiment.Print("single: one thread runs the jobs one after the other.");
  }
  experiment.Print("threads: %d std::threads; processes: %d forked children; coroutines: %d "
                   "coroutines gathered on one event loop, one thread.",
                   workers, workers, workers);
  experiment.Print("Each run happens in a fresh child process, whose peak RSS the kernel "
                   "reports when it ends.");
  experiment.Measure(modes, repeats);

  // The baseline for "memory per worker": a child that does nothing.
  std::vector<double> idle_peaks;
  for (int r = 0; r < repeats; ++r) {
    absl::StatusOr<int64_t> idle = efficiency::IdleChildPeakRss();
    if (!idle.ok()) efficiency::Experiment::ExitWithError(idle.status());
    idle_peaks.push_back(static_cast<double>(*idle));
  }
  const int64_t idle_peak = static_cast<int64_t>(efficiency::Summarize(idle_peaks).median);

  efficiency::Results& results = experiment.results();
  if (single_jobs < workers) {
    const double factor = static_cast<double>(workers) / single_jobs;
    results.Scale("single", factor,
                  lesson::Format("measured on %d of the %d jobs and scaled x%.1f (sleeping "
                                 "jobs one after the other take N times one job)",
                                 single_jobs, workers, factor));
  }
  // Per-worker memory from 100 workers up: below that, one-time costs (the first thread,
  // the event loop itself) and the 4 KiB page granularity dominate the quotient.
  constexpr int kMinWorkersForMemoryPerWorker = 100;
  results.SetMemoryBaseline(idle_peak, {"threads", "coroutines"}, kMinWorkersForMemoryPerWorker);
  results.details()
      .Set("one_job_seconds", one_job)
      .Set("single_measured_jobs", single_jobs)
      .Set("tutorial_seconds_single", efficiency::kTutorialIoSingle)
      .Set("tutorial_seconds_threads", efficiency::kTutorialIoThreads)
      .Set("tutorial_seconds_processes", efficiency::kTutorialIoProcesses);
  efficiency::Conclusion conclusion = efficiency::IoBoundConclusions(
      results,
      {.workers = workers, .one_job_seconds = one_job,
       .min_workers_for_memory = kMinWorkersForMemoryPerWorker},
      experiment.conditions());
  conclusion.lines.insert(
      conclusion.lines.begin(),
      lesson::Format("Idle child's peak RSS (the baseline subtracted for 'per worker'): %.1f "
                     "MiB; one job alone sleeps %.3f s.",
                     idle_peak / 1048576.0, one_job));
  experiment.Finish(conclusion);
  return 0;
}
