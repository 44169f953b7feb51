// efficiency/results.h — an experiment's figures, as a readable table or as one JSON object.
//
// Every experiment ends the same way:
//
//   efficiency::Results results("cpu_bound", "2 jobs of 150,000,000 iterations");
//   results.Add(*measured);          // from Measure()
//   if (lesson::JsonRequested()) results.PrintJson(); else results.PrintTable();
//
// The JSON is the contract with //tools:report (issue 6):
//   {"experiment": "<name>", "work": "...", "results": [{"mode": "...", "workers": n,
//     "seconds": median, "min": s, "max": s, "speedup": baseline median / this median,
//     ...extra fields...}, ...], ...extra fields...}
// Extra fields: per result "samples" (every run's seconds), "cpu_seconds" and
// "cores_busy" (CPU / wall), "baseline" (the mode speedup is relative to), and where
// measured "peak_rss_bytes", "bytes_per_worker", "note"; at the top "cores",
// "busy_cores_before" (BusyCores), "load_average_before" / "load_average_after"
// (1-minute, /proc/loadavg), "repeats",
// and "details" (an object of experiment-specific figures, see each experiment).
#ifndef EFFICIENCY_RESULTS_H_
#define EFFICIENCY_RESULTS_H_

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "common/json.h"
#include "common/json_flag.h"
#include "efficiency/measure.h"

namespace efficiency {

// The 1-minute load average (/proc/loadavg), or -1 if unreadable.
double LoadAverage();

// How many cores' worth of CPU the whole machine used during the next `window` (from
// /proc/stat: non-idle time / elapsed time), or -1 if unreadable. Taken before an
// experiment starts, it says how much of the machine other work was using.
double BusyCores(std::chrono::milliseconds window);

// The number of CPUs this process may run on (sched_getaffinity).
int UsableCores();

// One line of the table / one element of "results".
struct ResultRow {
  std::string mode;
  int workers = 1;
  Summary seconds;
  std::vector<double> samples;
  double cpu_seconds = 0;
  double speedup = 0;  // NaN when there is no baseline
  std::string baseline;
  std::optional<int64_t> peak_rss_bytes;
  std::optional<double> bytes_per_worker;
  std::string note;
};

class Results {
 public:
  // `work` says in words how much work one run of a mode does. Create it before measuring:
  // it samples how busy the machine is (BusyCores over 0.25 s) and the load average.
  Results(std::string experiment, std::string work);

  // Adds measured modes. Speedups are computed against each mode's baseline among all the
  // rows added so far or later (PrintTable/ToJson resolve them).
  void Add(const std::vector<ModeResult>& measured);

  // Memory per worker for rows with a peak RSS: (peak - idle_peak) / workers, for the
  // modes named in `modes` (where the workers share one process, so the difference is
  // what they needed) that have at least `min_workers` workers: with few workers the
  // quotient is mostly one-time costs and the 4 KiB page granularity, not the workers.
  void SetMemoryBaseline(int64_t idle_peak_rss_bytes, const std::vector<std::string>& modes,
                         int min_workers);

  // Multiplies a row's times by `factor` and attaches `note`: for a baseline measured on
  // a sample of the work (io_bound's single mode at 1,000 workers), said in the table.
  void Scale(const std::string& mode, double factor, const std::string& note);

  // Attaches `note` to a row: shown under the table, and as "note" in the JSON.
  void Note(const std::string& mode, const std::string& note);

  // Experiment-specific figures, written in the JSON as "details": {...}.
  lesson::JsonObject& extra() { return extra_; }

  // The rows with speedups resolved.
  std::vector<ResultRow> Rows() const;

  // The median seconds of `mode`, or NaN if absent.
  double Median(const std::string& mode) const;
  double Speedup(const std::string& mode) const;

  void PrintTable() const;
  std::string ToJson() const;
  void PrintJson() const;  // ToJson() as one line on stdout

  // Records the load average now as "load_average_after".
  void RecordLoadAfter();

 private:
  std::string experiment_;
  std::string work_;
  std::vector<ResultRow> rows_;
  double load_before_;
  double busy_before_;
  double load_after_ = -1;
  int repeats_ = 0;
  lesson::JsonObject extra_;
};

// A SampleCallback that prints one progress line per run ("  run 1/3  threads  0.212 s").
SampleCallback PrintEachSample(int repeats);

// Prints "<experiment>: <status>" on standard error and exits with status 1: the
// experiment could not measure (a thread or process could not be created, a mode
// returned a wrong result). Bad flags exit 2 earlier, in ParseFlags/RequireInRange.
[[noreturn]] void ExitWithError(const std::string& experiment, const absl::Status& status);

}  // namespace efficiency

#endif  // EFFICIENCY_RESULTS_H_
