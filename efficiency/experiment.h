// efficiency/experiment.h — one run of an experiment, from the machine it found to the
// sentences it may conclude: the part every experiment shares.
//
// An experiment reads top to bottom:
//
//   efficiency::Experiment experiment("cpu_bound", work);   // observes the machine first
//                                       // (work: lesson::InEachLanguage, common/message.h)
//   experiment.Title("任务类型 — CPU密集型", "CPU-bound work");
//   experiment.Measure(modes, repeats);                       // rows, or exit 1 with why
//   experiment.Finish(CpuBoundConclusions(experiment.results(), ..., experiment.conditions()));
//
// Everything it prints goes through Title/Step/Print here, which say nothing under
// --json: then standard output carries exactly one JSON object, written by Finish(). So
// no experiment needs an `if (json)` of its own.
//
// Finish() is the shared tail. Under --json: the object of results.h (rows, details,
// "warnings"). Otherwise: "Results", the table (rows that a warning concerns are marked),
// the conclusion's lines, every warning ("Warning: ..."), then "What to notice". The
// conclusion comes from a pure function of the figures and the run's conditions (see
// efficiency/conclusion.h): a sentence is printed only if this run's figures show it.
#ifndef EFFICIENCY_EXPERIMENT_H_
#define EFFICIENCY_EXPERIMENT_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "common/format_string.h"
#include "common/lesson.h"
#include "common/message.h"
#include "common/run_conditions.h"
#include "efficiency/conclusion.h"
#include "efficiency/measure.h"
#include "efficiency/results.h"

namespace efficiency {

class Experiment {
 public:
  // Observes the machine before anything is measured (lesson::RunConditions::Observe:
  // cores, how busy the machine is over 0.25 s, the build) and reads --json.
  Experiment(std::string name, lesson::Bilingual work);

  bool json() const { return json_; }
  Results& results() { return results_; }
  const Results& results() const { return results_; }
  lesson::RunConditions& conditions() { return conditions_; }

  // The lesson printers (common/lesson.h), silent under --json. Title also says at once
  // when the build is unoptimised (the warning is repeated at the end).
  void Title(std::string_view chinese, std::string_view english) const;
  template <typename... Args>
  void Step(lesson::FormatString<Args...> format, const Args&... args) const {
    if (!json_) lesson::Step(format, args...);
  }
  template <typename... Args>
  void Print(lesson::FormatString<Args...> format, const Args&... args) const {
    if (!json_) lesson::Print(format, args...);
  }
  // A line already in the reader's language.
  void Show(const lesson::Text& line) const;

  // Measures `modes` (measure.h), announcing it ("Measuring: 3 runs of each mode,
  // interleaved") and printing one progress line per run unless --json, and adds the
  // rows to results(). A mode that fails ends the program: ExitWithError.
  void Measure(const std::vector<Mode>& modes, int repeats);

  // The tail described at the top.
  void Finish(const Conclusion& conclusion);

  // Prints "<program>: could not measure: <status>" on standard error and exits with
  // status 1: a thread or process could not be created, a mode returned a wrong result.
  // (Bad flags exit 2 earlier, in ParseFlags / RequireInRange / RequireShortRun.)
  [[noreturn]] static void ExitWithError(const absl::Status& status);

 private:
  bool json_;
  lesson::RunConditions conditions_;
  Results results_;
};

}  // namespace efficiency

#endif  // EFFICIENCY_EXPERIMENT_H_
