// efficiency/results.h — an experiment's figures: the rows it measured, their speedups, and
// the two ways they are shown (a table for the reader, one JSON object for //tools:report).
//
//   efficiency::Results results("cpu_bound", lesson::InEachLanguage([&] {
//     return lesson::Format("%d jobs of %d iterations", ...);
//   }));
//   results.Add(measured);                          // from Measure()
//   results.Speedup("threads");                     // baseline median / threads median
//   results.TableLines(conditions);                 // the table, rows marked by warnings
//   results.ToJson(conditions);                     // the JSON object
//
// (efficiency/experiment.h prints one or the other at the end of a run.)
//
// The JSON is the contract with //tools:report:
//   {"experiment": "<name>", "work": "...", "work_in": {"en": "...", "zh": "..."},
//    "results": [{"mode": "...", "workers": n,
//     "seconds": median, "min": s, "max": s, "speedup": baseline median / this median,
//     ...}, ...], "warnings": [{"code": "...", "message": "...", "modes": [...]}], ...}
// Per result also "samples" (every run's seconds), "cpu_seconds" and "cores_busy"
// (CPU / wall), "baseline" (the mode speedup is relative to), and where measured
// "peak_rss_bytes", "bytes_per_worker", "note". At the top also "cores" (usable),
// "cores_description", "optimised", "busy_cores_before" (from lesson::BusyCores),
// "load_average_before" / "load_average_after" (1-minute), "repeats", and "details" (an
// object of experiment-specific figures, see each experiment). "warnings" is always there
// (empty when the run could show its point); each names the modes (rows) it affects, or
// none when it concerns the whole run. Texts ("work", "note", "message") are in the
// reader's language; "work_in" has the work in English and in Chinese, for the report,
// which writes both READMEs from one run.
#ifndef EFFICIENCY_RESULTS_H_
#define EFFICIENCY_RESULTS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/json.h"
#include "common/message.h"
#include "common/run_conditions.h"
#include "efficiency/measure.h"

namespace efficiency {

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
  std::string note;  // in the reader's language

  // CPU seconds / wall seconds: how many cores were busy on average (0 if no time).
  double cores_busy() const;
};

// "332 B", "8.9 KiB", "11.2 MiB", "1.05 GiB".
std::string FormatBytes(double bytes);

class Results {
 public:
  // `work` says in words how much work one run of a mode does, in each language.
  Results(std::string experiment, lesson::Bilingual work);

  const std::string& experiment() const { return experiment_; }
  // The work in the reader's language.
  const lesson::Text& work() const { return work_.in(lesson::CurrentLanguage()); }

  // Adds measured modes. Speedups are computed against each mode's baseline among all the
  // rows added so far or later (Rows() resolves them).
  void Add(const std::vector<ModeResult>& measured);

  // Memory per worker for rows with a peak RSS: (peak - idle_peak) / workers, for the
  // modes named in `modes` (where the workers share one process, so the difference is
  // what they needed) that have at least `min_workers` workers: with few workers the
  // quotient is mostly one-time costs and the 4 KiB page granularity, not the workers.
  void SetMemoryBaseline(int64_t idle_peak_rss_bytes, const std::vector<std::string>& modes,
                         int min_workers);

  // Multiplies a row's times by `factor` and attaches `note`: for a baseline measured on
  // a sample of the work (io_bound's single mode at 1,000 workers), said in the table.
  void Scale(const std::string& mode, double factor, const lesson::Text& note);

  // Attaches `note` to a row: shown under the table, and as "note" in the JSON.
  void Note(const std::string& mode, const lesson::Text& note);

  // Experiment-specific figures, written in the JSON as "details": {...}.
  lesson::JsonObject& details() { return details_; }

  // Records the load average now ("load_average_after"); the one before is taken when
  // Results is made, which every experiment does before measuring.
  void RecordLoadAfter();

  // The rows with speedups resolved.
  std::vector<ResultRow> Rows() const;
  // The row of `mode` (speedup resolved), or nullopt.
  std::optional<ResultRow> Row(const std::string& mode) const;

  // The median seconds, speedup and cores busy of `mode`, or NaN if absent.
  double Median(const std::string& mode) const;
  double Speedup(const std::string& mode) const;
  double CoresBusy(const std::string& mode) const;

  // The table, padded by display width (any language): header, rule, rows, then what the
  // marks mean, the notes, and one line on the machine. A row that a warning of
  // `conditions` concerns is marked "(!)" after its mode.
  std::vector<std::string> TableLines(const lesson::RunConditions& conditions) const;

  // The JSON object described at the top, with `conditions`' warnings.
  lesson::JsonObject ToJson(const lesson::RunConditions& conditions) const;

 private:
  std::string experiment_;
  lesson::Bilingual work_;
  std::vector<ResultRow> rows_;
  double load_before_;
  double load_after_ = -1;
  int repeats_ = 0;
  lesson::JsonObject details_;
};

}  // namespace efficiency

#endif  // EFFICIENCY_RESULTS_H_
