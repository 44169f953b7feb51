// efficiency/run_budget.h — refusing flag combinations that would run for more than a minute.
//
// Every flag of an experiment has its own range (lesson::RequireInRange), but ranges alone
// do not bound a run: --iterations at its maximum takes seconds with one job and one
// repeat, and hours with 256 jobs and 50 repeats. So each experiment also estimates, from
// its flags, how long the whole run will take, and refuses a command line whose estimate
// is over kMaxRunSeconds the way a bad flag is refused: one line on standard error naming
// the flags, exit status 2, before any thread or process exists.
//
//   const double estimate = repeats * jobs * iterations * efficiency::kSpinIterationSeconds;
//   efficiency::RequireShortRun(estimate, FLAGS_iterations, FLAGS_jobs, FLAGS_repeats);
//
// The unit costs below were measured on the machine described in efficiency/README.md,
// in the slowest build a learner runs (Bazel's default fastbuild, unoptimised), and
// rounded up: a run accepted here ends in about a minute or less there, and sooner with
// -c opt. They are estimates, not promises: a machine busy with other work takes longer.
#ifndef EFFICIENCY_RUN_BUDGET_H_
#define EFFICIENCY_RUN_BUDGET_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/reflection.h"

namespace efficiency {

// The longest run an experiment accepts, estimated from its flags.
inline constexpr double kMaxRunSeconds = 60;

// One iteration of work.h's Spin(): 1.1-1.2 ns measured, fastbuild and -c opt alike.
inline constexpr double kSpinIterationSeconds = 1.5e-9;
// One iteration of SpinHoldingGil() (a Checkpoint() call each): ~8 ns unoptimised (a real
// call per iteration), 1.1 ns with -c opt.
inline constexpr double kGilIterationSeconds = 10e-9;
// Creating and joining one std::thread: 20-140 us measured (//efficiency:costs).
inline constexpr double kThreadStartSeconds = 200e-6;
// Forking, running and reaping one child through process::Process: 0.4-0.5 ms measured.
inline constexpr double kProcessStartSeconds = 1e-3;

// "about 40 s", "about 3 minutes", "about 2 hours", "about 5 days".
std::string AboutHowLong(double seconds);

// Prints "<program>: --<first>=<value> with --<other>=<value> ... would run for about ...
// (estimated from the flags); allowed: about a minute at most: lower one of them" on
// standard error and exits with status 2 (lesson::RejectFlag). `flags` are (name, value).
[[noreturn]] void RejectLongRun(double estimated_seconds,
                                const std::vector<std::pair<std::string, std::string>>& flags);

// RequireShortRun(estimated_seconds, flags...)
//
// Does nothing if estimated_seconds <= kMaxRunSeconds; else refuses the command line as
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
