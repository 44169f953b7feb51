#include "efficiency/run_budget.h"

#include <algorithm>

#include "absl/strings/str_format.h"
#include "common/flags.h"
#include "common/machine.h"

namespace efficiency {
namespace {

// The cores a parallel mode of `workers` workers over `jobs` jobs keeps busy (at least 1).
double Parallel(int workers, int jobs, int cores) {
  return std::max(1, std::min({workers, jobs, cores}));
}

}  // namespace

double CpuBoundSeconds(const CpuBoundShape& s) {
  const double serial = s.jobs * s.iterations * kSpinIterationSeconds;
  const double start = std::min(s.workers, s.jobs) * (kThreadStartSeconds + kProcessStartSeconds);
  return s.repeats * (serial * (1 + 3 / Parallel(s.workers, s.jobs, s.cores)) + start);
}

double GilSeconds(const GilShape& s) {
  const double parallel = Parallel(s.workers, s.jobs, s.cores);
  const double under_gil = s.jobs * s.iterations * kGilIterationSeconds;
  const double plain = s.jobs * s.iterations * kSpinIterationSeconds;
  const double start =
      std::min(s.workers, s.jobs) * (2 * kThreadStartSeconds + kProcessStartSeconds);
  // Part 2: one thread computes and blocks in turn; the threads overlap their blocking but
  // compute one at a time, so they take at most what one thread takes.
  const double io_job =
      s.io_rounds * (s.io_compute_iterations * kGilIterationSeconds + s.io_block_seconds);
  const double io = 2 * s.io_jobs * io_job + s.io_jobs * kThreadStartSeconds;
  const double race = s.race_runs * 3 * 2 * s.race_iterations * kRaceIterationSeconds;
  return s.repeats * (under_gil * (1 + 2 + 1 / parallel) + plain / parallel + start + io) + race;
}

double IoBoundSeconds(const IoBoundShape& s) {
  return s.repeats * (s.single_jobs * s.one_job_seconds + 3 * s.one_job_seconds +
                      s.workers * (kThreadStartSeconds + kProcessStartSeconds) +
                      5 * kProcessStartSeconds);
}

double TbbSeconds(const TbbShape& s) {
  const double part1 = s.jobs * s.iterations * kSpinIterationSeconds;
  const double part2 = s.items * s.item_iterations * kSpinIterationSeconds;
  return s.repeats * (part1 * (1 + 4.0 / Parallel(s.workers, s.jobs, s.cores)) +
                      part2 * (1 + 1.0 / Parallel(s.items, s.items, s.cores) +
                               3.0 / Parallel(s.workers, s.items, s.cores)) +
                      s.items * kThreadStartSeconds +
                      std::min(s.workers, s.jobs) * kProcessStartSeconds);
}

double ProcessesAndCoroutinesSeconds(const MixedShape& s) {
  const double compute = s.rounds * s.cpu_iterations * kSpinIterationSeconds;  // one job's
  const double wait = s.rounds * s.wait_seconds;
  const double cores = std::max(1, s.cores);
  return s.repeats * (s.single_jobs * (compute + wait) + s.jobs * compute * (1 + 1 / cores + 2) +
                      s.jobs * compute / std::min<double>(s.processes, cores) + 4 * wait +
                      2 * s.jobs * kThreadStartSeconds + s.processes * kProcessStartSeconds);
}

lesson::Text AboutHowLong(double seconds) {
  if (seconds < 120) return lesson::Format("about %.0f s", seconds);
  if (seconds < 2 * 3600) return lesson::Format("about %.0f minutes", seconds / 60);
  if (seconds < 2 * 86400) return lesson::Format("about %.0f hours", seconds / 3600);
  return lesson::Format("about %.0f days", seconds / 86400);
}

void RejectLongRun(double estimated_seconds,
                   const std::vector<std::pair<std::string, std::string>>& flags) {
  std::string others;
  for (size_t i = 1; i < flags.size(); ++i) {
    others += absl::StrFormat("%s--%s=%s", others.empty() ? "" : " ", flags[i].first,
                              flags[i].second);
  }
  const lesson::Text about = AboutHowLong(estimated_seconds);
  lesson::RejectFlag(
      flags.empty() ? "?" : flags[0].first, flags.empty() ? "?" : flags[0].second,
      others.empty()
          ? lesson::Format("would run for %s (estimated from the flags); allowed: about a "
                           "minute at most (%.0f s): lower it",
                           about.str(), kMaxRunSeconds)
          : lesson::Format("with %s would run for %s (estimated from the flags); allowed: "
                           "about a minute at most (%.0f s): lower one of them",
                           others, about.str(), kMaxRunSeconds));
}

int64_t DefaultWorkForThisBuild(const absl::Flag<int64_t>& flag, int64_t unoptimised_divisor,
                                bool* reduced) {
  const absl::CommandLineFlag& handle = absl::GetFlagReflectionHandle(flag);
  const int64_t value = absl::GetFlag(flag);
  *reduced = !lesson::OptimisedBuild() && handle.CurrentValue() == handle.DefaultValue() &&
             unoptimised_divisor > 1;
  return *reduced ? std::max<int64_t>(1, value / unoptimised_divisor) : value;
}

}  // namespace efficiency
