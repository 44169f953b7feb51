// efficiency/gil.cc — 全局解释锁 (the global interpreter lock, emulated)
//
// The tutorial blames CPython's GIL for its threads not speeding up CPU-bound work, and
// answers two questions: is multithreading still worth it (yes, for I/O: "多线程至少有机会让
// 你把一个CPU核心跑到100%"), and why do threads still need locks under the GIL (because a
// switch can fall in the middle of `num += i`). C++ has no GIL, so //efficiency:cpu_bound's
// threads scale. Here we put one back: interpreter_lock.h is a lock built like CPython's
// (held while "executing", released and re-contended every switch interval, 5 ms by
// default), and
//   1. the same CPU work runs under it: threads take turns, processes (each with its own
//      lock, like each Python interpreter) and lock-free threads run in parallel;
//   2. threads that compute and then block (time.sleep, I/O) run under it: they keep one
//      core busy, and never more than one (the first FAQ);
//   3. the tutorial's lock example runs under it: the GIL does not make `num += i` safe
//      (the second FAQ).
// What it concludes is chosen from its figures (gil_conclusions.h). With --trace the
// timeline shows each thread's turns holding the lock ("holds the GIL").
//
// Switch intervals go from 1 us to 1 s. CPython itself refuses 0 ("switch interval must
// be strictly positive") and keeps the interval in whole microseconds, so 1 us is its
// smallest; at 0 this lock would hand over at every checkpoint, and the default work would
// take an hour of hand-overs. Shorter intervals cost more hand-overs: try 10us.
//
//   bazel run -c opt //efficiency:gil
//   bazel run -c opt //efficiency:gil -- --trace=/tmp/gil.json   (the threads taking turns)
//   bazel run -c opt //efficiency:gil -- --switch_interval=1ms --race_switch_interval=1ms
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/time/time.h"
#include "common/flags.h"
#include "common/lesson.h"
#include "common/machine.h"
#include "common/table.h"
#include "efficiency/experiment.h"
#include "efficiency/gil_conclusions.h"
#include "efficiency/interpreter_lock.h"
#include "efficiency/parallel.h"
#include "efficiency/run_budget.h"
#include "efficiency/work.h"
#include "process/interrupt_guard.h"

ABSL_FLAG(int64_t, iterations, 150'000'000,
          "loop iterations per job (the same work as //efficiency:cpu_bound)");
ABSL_FLAG(int, jobs, 2, "jobs (the tutorial's run1 and run2)");
ABSL_FLAG(int, workers, 2, "threads / processes in the parallel modes");
ABSL_FLAG(int, repeats, 3, "runs of each mode; the table shows the median and the spread");
ABSL_FLAG(absl::Duration, switch_interval, absl::Milliseconds(5),
          "how long a waiting thread lets the holder run before asking it to let go "
          "(CPython: sys.getswitchinterval() = 5 ms); 1us to 1s, as CPython allows");
ABSL_FLAG(int, io_threads, 4,
          "threads that compute, then block with the GIL released (the first FAQ)");
ABSL_FLAG(int64_t, io_iterations, 3'000'000,
          "loop iterations each such thread computes before it blocks");
ABSL_FLAG(absl::Duration, io_block, absl::Milliseconds(3),
          "how long each such thread then blocks (a time.sleep standing for I/O)");
ABSL_FLAG(int64_t, race_iterations, 2'000'000,
          "iterations of the tutorial's `num += i; num -= i` loop per thread (the tutorial has "
          "1,000,000; here that takes only a few ms, so a few switch intervals)");
ABSL_FLAG(int, race_runs, 2, "runs of each race variant (the tutorial shows two outputs)");
ABSL_FLAG(absl::Duration, race_switch_interval, absl::Microseconds(300),
          "switch interval for the race: CPython 3.11 runs this loop ~17x slower than this "
          "emulation (measured: 55 ms vs 3.3 ms per 1,000,000 iterations), so 300us here lets "
          "about as many iterations run between switches as CPython's 5 ms; 1us to 1s");

namespace {

// Each thread of the first FAQ's part computes and blocks this many times.
constexpr int kIoRounds = 5;

struct RaceVariant {
  const char* id;  // for --json
  lesson::Text name;
  lesson::Text what;
  efficiency::SwitchPoints points;
  bool with_lock;
};

// Runs one variant of the tutorial's race `runs` times under a fresh GIL each, printing
// each run's line.
efficiency::RaceTally RunRaceVariant(const efficiency::Experiment& experiment,
                                     const RaceVariant& variant, int runs, int64_t iterations,
                                     std::chrono::nanoseconds interval,
                                     std::vector<lesson::JsonObject>& json) {
  experiment.Print("  %s — %s", variant.name.str(), variant.what.str());
  efficiency::RaceTally tally;
  std::vector<lesson::JsonObject> json_runs;
  for (int run = 1; run <= runs; ++run) {
    efficiency::EmulatedGil gil(interval);
    const absl::StatusOr<efficiency::RaceResult> raced =
        efficiency::RunTutorialRace(gil, 2, iterations, variant.points, variant.with_lock);
    if (!raced.ok()) efficiency::Experiment::ExitWithError(raced.status());
    ++tally.runs;
    if (raced->num != 0) ++tally.lost;
    tally.switches += raced->switches;
    tally.mid_update += raced->switches_mid_update;
    tally.max_holders = std::max(tally.max_holders, gil.max_holders());
    experiment.Print("    run %d: num = %s %s (%d switches, %d between a read and its write)", run,
                     lesson::PadRight(std::to_string(raced->num), 12),
                     lesson::PadRight(raced->num != 0 ? lesson::Tr("updates lost").str()
                                                      : lesson::Tr("nothing lost").str(),
                                      13),
                     raced->switches, raced->switches_mid_update);
    lesson::JsonObject r;
    r.Set("num", static_cast<int64_t>(raced->num))
        .Set("switches", raced->switches)
        .Set("switches_mid_update", raced->switches_mid_update);
    json_runs.push_back(r);
  }
  experiment.Print("    at most %d thread held the GIL at any time", tally.max_holders);
  lesson::JsonObject v;
  v.Set("id", variant.id).Set("variant", variant.name.str()).Set("runs", json_runs).Set("max_holders", tally.max_holders);
  json.push_back(v);
  return tally;
}

}  // namespace

int main(int argc, char** argv) {
  lesson::ParseFlags(argc, argv,
                     "CPU-bound jobs under an emulated GIL: threads take turns, processes do not; "
                     "threads that block keep one core busy; then the tutorial's num += i race "
                     "under it.");
  lesson::RequireInRange(FLAGS_iterations, int64_t{1}, int64_t{20'000'000'000});
  lesson::RequireInRange(FLAGS_jobs, 1, 256);
  lesson::RequireInRange(FLAGS_workers, 1, 64);
  lesson::RequireInRange(FLAGS_repeats, 1, 50);
  // 1 us: CPython's smallest switch interval (see the top of this file).
  lesson::RequireInRange(FLAGS_switch_interval, absl::Microseconds(1), absl::Seconds(1));
  lesson::RequireInRange(FLAGS_io_threads, 1, 64);
  lesson::RequireInRange(FLAGS_io_iterations, int64_t{1}, int64_t{1'000'000'000});
  lesson::RequireInRange(FLAGS_io_block, absl::Microseconds(1), absl::Seconds(1));
  lesson::RequireInRange(FLAGS_race_iterations, int64_t{1}, int64_t{1'000'000'000});
  lesson::RequireInRange(FLAGS_race_runs, 1, 20);
  lesson::RequireInRange(FLAGS_race_switch_interval, absl::Microseconds(1), absl::Seconds(1));

  // An unoptimised build runs this loop about 7x slower: a default run there does an
  // eighth of the work, to end in seconds (and says so below).
  bool work_reduced = false;
  const uint64_t iterations = static_cast<uint64_t>(
      efficiency::DefaultWorkForThisBuild(FLAGS_iterations, 8, &work_reduced));
  const int jobs = absl::GetFlag(FLAGS_jobs);
  const int workers = absl::GetFlag(FLAGS_workers);
  const int repeats = absl::GetFlag(FLAGS_repeats);
  const std::chrono::nanoseconds interval =
      absl::ToChronoNanoseconds(absl::GetFlag(FLAGS_switch_interval));
  const int io_threads = absl::GetFlag(FLAGS_io_threads);
  bool io_work_reduced = false;  // the same loop, the same reason
  const uint64_t io_iterations = static_cast<uint64_t>(
      efficiency::DefaultWorkForThisBuild(FLAGS_io_iterations, 8, &io_work_reduced));
  const std::chrono::nanoseconds io_block = absl::ToChronoNanoseconds(absl::GetFlag(FLAGS_io_block));
  const int64_t race_iterations = absl::GetFlag(FLAGS_race_iterations);
  const int race_runs = absl::GetFlag(FLAGS_race_runs);
  const std::chrono::nanoseconds race_interval =
      absl::ToChronoNanoseconds(absl::GetFlag(FLAGS_race_switch_interval));
  efficiency::RequireShortRun(
      efficiency::GilSeconds({.jobs = jobs, .workers = workers, .repeats = repeats,
                              .cores = lesson::UsableCores(),
                              .iterations = static_cast<double>(iterations),
                              .io_jobs = io_threads, .io_rounds = kIoRounds,
                              .io_compute_iterations = static_cast<double>(io_iterations),
                              .io_block_seconds = absl::ToDoubleSeconds(absl::GetFlag(FLAGS_io_block)),
                              .race_runs = race_runs,
                              .race_iterations = static_cast<double>(race_iterations)}),
      FLAGS_iterations, FLAGS_jobs, FLAGS_workers, FLAGS_repeats, FLAGS_io_threads,
      FLAGS_io_iterations, FLAGS_io_block, FLAGS_race_iterations, FLAGS_race_runs);
  process::InterruptGuard guard;  // Ctrl-C in the processes mode leaves no child behind

  const uint64_t expected = efficiency::ExpectedTotal(jobs, iterations);
  // A Python thread running run1: it holds the GIL while it executes and checks for a
  // switch request at every iteration (the eval breaker).
  auto job_under = [iterations](efficiency::EmulatedGil& gil) -> efficiency::Job {
    return [&gil, iterations](int j) {
      efficiency::EmulatedGil::Holder hold(gil);
      return efficiency::SpinHoldingGil(gil, iterations, efficiency::JobSeed(j));
    };
  };
  // A Python thread doing I/O: compute, block (GIL released), kIoRounds times.
  auto io_job_under = [=](efficiency::EmulatedGil& gil) -> efficiency::Job {
    return [&gil, io_iterations, io_block](int j) {
      efficiency::EmulatedGil::Holder hold(gil);
      return efficiency::ComputeThenBlock(gil, kIoRounds, io_iterations, io_block,
                                          efficiency::JobSeed(j));
    };
  };
  // What the threads mode saw in its last run (the processes' locks live in the children).
  int64_t thread_switches = 0;
  int thread_max_holders = 0;

  const uint64_t io_expected = efficiency::ExpectedTotal(io_threads, io_iterations * kIoRounds);
  const std::vector<efficiency::Mode> modes = {
      {"single", 1,
       [&]() {
         efficiency::EmulatedGil gil(interval);  // one interpreter
         return efficiency::RunSerially(jobs, job_under(gil));
       },
       expected},
      {"threads", workers,
       [&]() {
         efficiency::EmulatedGil gil(interval);  // one interpreter, several threads
         absl::StatusOr<uint64_t> r = efficiency::RunOnThreads(jobs, workers, job_under(gil));
         thread_switches = gil.switches();
         thread_max_holders = gil.max_holders();
         return r;
       },
       expected},
      {"processes", workers,
       [&]() {
         // Created before fork(): each child gets its own copy, its own interpreter lock.
         efficiency::EmulatedGil gil(interval);
         return efficiency::RunOnProcesses(jobs, workers, job_under(gil));
       },
       expected},
      {"threads_without_gil", workers,
       [&]() {
         return efficiency::RunOnThreads(jobs, workers, efficiency::SpinJob(iterations));
       },
       expected},
      {"io_single", 1,
       [&]() {
         efficiency::EmulatedGil gil(interval);
         return efficiency::RunSerially(io_threads, io_job_under(gil));
       },
       io_expected, "io_single"},
      {"io_threads_gil", io_threads,
       [&]() {
         efficiency::EmulatedGil gil(interval);
         return efficiency::RunOnThreads(io_threads, io_threads, io_job_under(gil));
       },
       io_expected, "io_single"},
  };

  efficiency::Experiment experiment("gil", lesson::InEachLanguage([&] {
    return lesson::Format("%d jobs of %d iterations (one 64-bit multiply-add each, plus one "
                          "check for a switch request under the emulated GIL); switch "
                          "interval %s",
                          jobs, iterations,
                          absl::FormatDuration(absl::GetFlag(FLAGS_switch_interval)));
  }));
  experiment.Title("全局解释锁 (GIL)", "An emulated global interpreter lock");
  experiment.Step("Work: %s", experiment.results().work().str());
  if (work_reduced) {
    experiment.Print("(This build is not optimised, so the default work is cut to an eighth "
                     "(%d iterations per job) to end in seconds. Build with -c opt for the "
                     "full work and figures worth comparing.)",
                     iterations);
  }
  experiment.Print("single: one thread holds the lock all along. threads: %d threads share ONE "
                   "lock. processes: %d children,",
                   workers, workers);
  experiment.Print("each with ITS OWN lock (a copy made by fork). threads_without_gil: the same "
                   "threads with no lock (plain C++).");
  experiment.Print("io_single / io_threads_gil: %d jobs that each compute (%d iterations) and "
                   "then block for %s with the lock released, %d times: one thread, then %d "
                   "threads under one lock.",
                   io_threads, io_iterations, absl::FormatDuration(absl::GetFlag(FLAGS_io_block)),
                   kIoRounds, io_threads);
  experiment.Measure(modes, repeats);

  // The tutorial's second FAQ: why lock under a GIL? Run its example under our GIL, like
  // the tutorial ("第一次输出 / 第二次输出") several times per variant.
  experiment.Step("The tutorial's lock example under the emulated GIL: 2 threads x %d "
                  "iterations of `num += i; num -= i`, switch interval %s",
                  race_iterations,
                  absl::FormatDuration(absl::GetFlag(FLAGS_race_switch_interval)));
  const RaceVariant variants[] = {
      {"every_step", lesson::Tr("no lock, switch between read and write"),
       lesson::Tr("CPython <= 3.9: the eval breaker is checked at almost every bytecode"),
       efficiency::SwitchPoints::kEveryStep, false},
      {"between_statements", lesson::Tr("no lock, switch only between statements"),
       lesson::Tr("CPython >= 3.10 in this loop: checked only at the back edge and at calls"),
       efficiency::SwitchPoints::kBetweenStatements, false},
      {"with_lock", lesson::Tr("with lock (threading.Lock)"),
       lesson::Tr("the tutorial's fix: `with lock:` around both statements"),
       efficiency::SwitchPoints::kEveryStep, true},
  };
  std::vector<lesson::JsonObject> races;
  efficiency::GilRun run{.jobs = jobs, .workers = workers, .io_threads = io_threads};
  run.every_step =
      RunRaceVariant(experiment, variants[0], race_runs, race_iterations, race_interval, races);
  run.between_statements =
      RunRaceVariant(experiment, variants[1], race_runs, race_iterations, race_interval, races);
  run.with_lock =
      RunRaceVariant(experiment, variants[2], race_runs, race_iterations, race_interval, races);
  run.threads_switches = thread_switches;
  run.threads_max_holders = thread_max_holders;

  experiment.results()
      .details()
      .Set("switch_interval_seconds", absl::ToDoubleSeconds(absl::GetFlag(FLAGS_switch_interval)))
      .Set("threads_switches_last_run", thread_switches)
      .Set("threads_max_holders", thread_max_holders)
      .Set("io_threads", io_threads)
      .Set("race_iterations", race_iterations)
      .Set("race_switch_interval_seconds",
           absl::ToDoubleSeconds(absl::GetFlag(FLAGS_race_switch_interval)))
      .Set("race", races);
  experiment.Finish(efficiency::GilConclusions(experiment.results(), run, experiment.conditions()));
  return 0;
}
