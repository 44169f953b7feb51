// efficiency/run_budget.h — how long an experiment will run, estimated from its flags, and
// refusing a command line that would run for more than a minute.
//
// Every flag of an experiment has its own range (lesson::RequireInRange), but ranges alone
// do not bound a run: --iterations at its maximum takes seconds with one job and one
// repeat, and hours with 256 jobs and 50 repeats. So each experiment estimates, from its
// flags, how long the whole run will take (one function per experiment below: the cost
// model lives here, beside the unit costs it uses), and refuses a command line whose
// estimate is over kMaxRunSeconds the way a bad flag is refused: one line on standard
// error naming the flags, exit status 2, before any thread or process exists.
//
//   efficiency::RequireShortRun(efficiency::CpuBoundSeconds({...}), FLAGS_iterations,
//                               FLAGS_jobs, FLAGS_workers, FLAGS_repeats);
//
// The unit costs were measured on the machine described in efficiency/README.md, in the
// slowest build a learner runs (Bazel's default fastbuild, unoptimised), and rounded up:
// a run accepted here ends in about a minute or less there, and sooner with -c opt. They
// are estimates, not promises: a machine busy with other work takes longer.
#ifndef EFFICIENCY_RUN_BUDGET_H_
#define EFFICIENCY_RUN_BUDGET_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/reflection.h"
#include "common/message.h"

namespace efficiency {

// The work an experiment does when `flag` is left at its default: the default itself in
// an optimised build, where defaults are sized to show the point and end in seconds;
// divided by `unoptimised_divisor` in an unoptimised build (Bazel's default fastbuild),
// whose loop under the emulated GIL runs several times slower (see kGilIterationSeconds)
// and would otherwise take tens of seconds to measure figures that cannot be compared
// anyway (an unoptimised build is always warned about). A value given on the command line
// is always obeyed. `*reduced` says whether the work was cut, for the run to say so.
int64_t DefaultWorkForThisBuild(const absl::Flag<int64_t>& flag, int64_t unoptimised_divisor,
                                bool* reduced);

// The longest run an experiment accepts, estimated from its flags.
inline constexpr double kMaxRunSeconds = 60;

// One iteration of work.h's Spin(): 1.1-1.2 ns measured, fastbuild and -c opt alike (Spin
// is one loop in work.cc; what differs between builds is everything around it).
inline constexpr double kSpinIterationSeconds = 1.5e-9;
// One iteration of SpinHoldingGil() (a Checkpoint() call each): ~8 ns unoptimised (a real
// call per iteration), 1.1 ns with -c opt.
inline constexpr double kGilIterationSeconds = 10e-9;
// One iteration of the tutorial's race loop under the emulated GIL, in one thread (two
// updates, three or four checkpoints), unoptimised: ~25 ns measured; doubled for the
// hand-overs of short switch intervals.
inline constexpr double kRaceIterationSeconds = 50e-9;
// Creating and joining one std::thread: 20-140 us measured (//efficiency:costs).
inline constexpr double kThreadStartSeconds = 200e-6;
// Forking, running and reaping one child through process::Process: 0.4-0.5 ms measured.
inline constexpr double kProcessStartSeconds = 1e-3;

// The estimates, one per experiment. `cores` is the usable cores (lesson::UsableCores()):
// parallel modes take the serial time divided by min(workers, jobs, cores).

struct CpuBoundShape {
  int jobs, workers, repeats, cores;
  double iterations;
};
// Each repeat: every job on one thread, then three parallel modes.
double CpuBoundSeconds(const CpuBoundShape& s);

struct GilShape {
  int jobs, workers, repeats, cores;
  double iterations;
  int io_jobs, io_rounds;     // part 2: jobs that compute then block
  double io_compute_iterations, io_block_seconds;
  int race_runs;
  double race_iterations;
};
// Each repeat: single (all jobs under the lock), threads (taking turns: at worst about 2x
// single, when the interval is so short that half the time goes to hand-overs, see
// interpreter_lock.h), processes (each with its own lock) and threads without the lock;
// part 2 on one thread and on io_jobs threads; then the race: 3 variants x race_runs runs
// x 2 threads.
double GilSeconds(const GilShape& s);

struct IoBoundShape {
  int workers, single_jobs, repeats;
  double one_job_seconds;  // one job's sleeps, one after the other
};
// Each repeat: single sleeps single_jobs jobs one after the other; threads, processes and
// coroutines each take one job's sleeps plus starting their workers; every mode and the
// idle baseline run in a child.
double IoBoundSeconds(const IoBoundShape& s);

struct TbbShape {
  int jobs, workers, items, repeats, cores;
  double iterations, item_iterations;
};
// Each repeat: part 1 runs the jobs on one thread, then four ways in parallel; part 2 runs
// the items on one thread, on a thread each (all cores, plus creating every thread), and
// three ways in parallel.
double TbbSeconds(const TbbShape& s);

struct MixedShape {
  int jobs, single_jobs, rounds, processes, repeats, cores;
  double cpu_iterations, wait_seconds;
};
// Per job: `rounds` x (computing + waiting). Each repeat: single (single_jobs jobs one
// after the other); coroutines (all computing on one core, the waits overlapped); threads
// (computing on every core); threads_gil (computing taking turns, at worst 2x for
// hand-overs); processes_coroutines (computing on P cores); plus starting the threads and
// processes.
double ProcessesAndCoroutinesSeconds(const MixedShape& s);

// "about 40 s", "about 3 minutes", "about 2 hours", "about 5 days" (translated).
lesson::Text AboutHowLong(double seconds);

// Prints "<program>: --<first>=<value> with --<other>=<value> ... would run for about ...
// (estimated from the flags); allowed: about a minute at most: lower one of them" on
// standard error and exits with status 2 (lesson::RejectFlag). `flags` are (name, value).
[[noreturn]] void RejectLongRun(double estimated_seconds,
                                const std::vector<std::pair<std::string, std::string>>& flags);

// RequireShortRun(estimated_seconds, flags...)
//
// Returns if estimated_seconds <= kMaxRunSeconds; else refuses the command line as
// RejectLongRun() says, naming `flags` (the first is the work size to lower).
template <typename... T>
void RequireShortRun(double estimated_seconds, const absl::Flag<T>&... flags) {
  if (estimated_seconds <= kMaxRunSeconds) return;
  std::vector<std::pair<std::string, std::string>> named;
  (named.emplace_back(std::string(absl::GetFlagReflectionHandle(flags).Name()),
                      absl::GetFlagReflectionHandle(flags).CurrentValue()),
   ...);
  RejectLongRun(estimated_seconds, named);
}

}  // namespace efficiency

#endif  // EFFICIENCY_RUN_BUDGET_H_
