// efficiency/processes_and_coroutines_conclusions.h — what
// //efficiency:processes_and_coroutines may conclude from its figures (see conclusion.h).
//
// The tutorial's closing claim, "多进程+协程" (several processes, each running many
// coroutines) gets the most out of a machine. On a mixed workload it should beat one event
// loop (which computes on one core) and threads under a GIL (which compute one at a time);
// against plain C++ threads, which already compute on every core, only the cost of many
// threads is left to win. Needs free cores and an optimised build to show.
#ifndef EFFICIENCY_PROCESSES_AND_COROUTINES_CONCLUSIONS_H_
#define EFFICIENCY_PROCESSES_AND_COROUTINES_CONCLUSIONS_H_

#include <string>

#include "common/run_conditions.h"
#include "efficiency/conclusion.h"
#include "efficiency/results.h"

namespace efficiency {

struct MixedRun {
  int jobs = 100;
  int processes = 2;  // P: each runs an event loop of about jobs / P coroutines
};

// The fastest of the concurrent modes, and "1.76x faster than coroutines, ..." for the
// others (the medians' ratios).
struct Fastest {
  std::string mode;
  std::string margins;
};
Fastest FastestMode(const Results& results);

// `results` has the rows single, coroutines, threads, threads_gil, processes_coroutines.
// Adds the run's warnings.
Conclusion ProcessesAndCoroutinesConclusions(const Results& results, const MixedRun& run,
                                             lesson::RunConditions& conditions);

}  // namespace efficiency

#endif  // EFFICIENCY_PROCESSES_AND_COROUTINES_CONCLUSIONS_H_
