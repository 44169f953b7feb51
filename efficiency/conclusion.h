// efficiency/conclusion.h — what an experiment may say after it measured: sentences chosen
// from its own figures, never printed as if shown when the run could not show them.
//
// Each experiment has a pure function (figures and run conditions in, a Conclusion out;
// see cpu_bound_conclusions.h and its siblings) that the experiment calls at the end and
// that tests call with synthetic figures: a quiet two-core machine, one core, a busy
// machine, an unoptimised build, an implausible figure. The function also adds the
// warnings that its figures call for to the run's lesson::RunConditions (which then
// appear in the printed run and in --json's "warnings").
//
// The helpers here are what the experiments share: whether a speedup shows parallel work,
// which condition (if any) kept this run from showing it, and the sentence that says so
// with the figures measured.
#ifndef EFFICIENCY_CONCLUSION_H_
#define EFFICIENCY_CONCLUSION_H_

#include <optional>
#include <string>
#include <vector>

#include "common/message.h"
#include "common/run_conditions.h"

namespace efficiency {

class Results;

struct Conclusion {
  std::vector<lesson::Text> lines;   // printed under the table: figures it does not show
  std::vector<lesson::Text> notice;  // "What to notice"
};

// A speedup that shows `workers` workers running at once: at least 1 + 0.6 x (workers - 1)
// (1.6x for two). Below that, most of the second worker's time was lost to something.
bool ShowsParallelism(double speedup, int workers);

// Adds to `conditions` what every parallel comparison checks: `workers` should run at once
// in `modes` (fewer_cores, busy_machine), and each mode's speedup must be possible
// (implausible).
void CheckParallelModes(const Results& results, const std::vector<std::string>& modes,
                        int workers, lesson::RunConditions& conditions);

// The condition that kept `modes` from showing parallel work, if any: the first of
// unoptimised_build, fewer_cores, implausible, busy_machine among the warnings that
// concern them.
std::optional<std::string> Blocker(const lesson::RunConditions& conditions,
                                   const std::vector<std::string>& modes);

// One sentence: this run of `experiment` could not show `what` because of `code` (a
// Blocker), with the figures it measured (`measured`, e.g. "threads 0.98x, processes 1.01x").
lesson::Text CannotShow(const std::string& experiment, const std::string& code,
                        const lesson::Text& what, const std::string& measured,
                        const lesson::RunConditions& conditions);

// "threads 1.97x, processes 1.96x" for `modes`, from `results`.
std::string Speedups(const Results& results, const std::vector<std::string>& modes);

}  // namespace efficiency

#endif  // EFFICIENCY_CONCLUSION_H_
