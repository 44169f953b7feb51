// efficiency/measure.h — timing a mode honestly: repeats, medians, spread, CPU, memory.
//
// An experiment is a list of Modes (single, threads, processes, ...). Measure() runs
// each mode `repeats` times, interleaved (single, threads, processes, single, threads,
// ...), so that a burst of load from elsewhere on the machine falls on every mode alike
// rather than on whichever ran during it. Each run records:
//   - wall seconds of the timed region (std::chrono::steady_clock),
//   - CPU seconds spent in that region by this process and every child it reaped there
//     (getrusage SELF + CHILDREN): CPU / wall is how many cores were busy on average,
//   - the mode's result (a checksum of the work, see parallel.h), compared with the
//     expected one: a mode that skipped work is an error, not a fast run.
// With `in_child`, each run happens in a freshly forked child process and the child's
// peak resident memory (wait4's ru_maxrss) is recorded too: the kernel only ever raises a
// process's peak, so comparing modes needs a new process per mode.
#ifndef EFFICIENCY_MEASURE_H_
#define EFFICIENCY_MEASURE_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace efficiency {

// One timed run.
struct Sample {
  double seconds = 0;      // wall time
  double cpu_seconds = 0;  // CPU time of this process and the children it reaped
  uint64_t result = 0;     // what the mode returned (a checksum of its work)
  std::optional<int64_t> peak_rss_bytes = std::nullopt;  // only for runs in a child
};

// Runs `run` once and times it (in this process).
absl::StatusOr<Sample> TimeOnce(const std::function<absl::StatusOr<uint64_t>()>& run);

// Runs TimeOnce(run) in a new forked child process; the sample comes back through a pipe
// and the child's peak RSS is added from wait4(). The child's peak includes the pages it
// shares with the parent, so compare it with IdleChildPeakRss().
absl::StatusOr<Sample> TimeInChild(const std::function<absl::StatusOr<uint64_t>()>& run);

// The peak RSS of a forked child that does nothing: the baseline for TimeInChild().
absl::StatusOr<int64_t> IdleChildPeakRss();

// Median, minimum and maximum of some numbers.
struct Summary {
  double median = 0;
  double min = 0;
  double max = 0;
};
// Precondition: `values` is not empty. The median of an even count is the mean of the
// middle two.
Summary Summarize(std::vector<double> values);

// A way of running the experiment's work.
struct Mode {
  std::string name;     // "single", "threads", ... (the JSON "mode")
  int workers = 1;      // threads, processes or coroutines it uses (the JSON "workers")
  std::function<absl::StatusOr<uint64_t>()> run;
  std::optional<uint64_t> expected;  // the result every run must return, if known
  std::string baseline = "single";   // the mode whose median is this one's 1x
  bool in_child = false;             // time it in a fresh child (for peak RSS)
};

// What Measure() found for one mode.
struct ModeResult {
  Mode mode;
  std::vector<Sample> samples;  // one per repeat, in the order they ran
  Summary seconds;
  double cpu_seconds = 0;       // median
  std::optional<int64_t> peak_rss_bytes;  // median, for modes run in a child
};

// Measure(modes, repeats, on_sample)
//
// Runs every mode `repeats` times, interleaved as described above. Stops at the first
// error: a run that failed, or returned something other than mode.expected
// (FailedPrecondition naming the mode and both numbers). `on_sample`, if set, is called
// after each run (for progress lines).
using SampleCallback = std::function<void(const Mode&, int repeat, const Sample&)>;
absl::StatusOr<std::vector<ModeResult>> Measure(const std::vector<Mode>& modes, int repeats,
                                                 const SampleCallback& on_sample = nullptr);

}  // namespace efficiency

#endif  // EFFICIENCY_MEASURE_H_
