// efficiency/tbb_conclusions.h — what //efficiency:tbb may conclude from its figures (see
// conclusion.h).
//
// The points: on long jobs every way of reaching the cores gives the same speedup (needs
// free cores and an optimised build); on many small items one thread per item
// (oversubscription) is slower than a pool or TBB tasks, which shows even on one core.
#ifndef EFFICIENCY_TBB_CONCLUSIONS_H_
#define EFFICIENCY_TBB_CONCLUSIONS_H_

#include "common/run_conditions.h"
#include "efficiency/conclusion.h"
#include "efficiency/results.h"

namespace efficiency {

struct TbbRun {
  int jobs = 8;
  int workers = 2;
  int items = 2000;
};

// `results` has part 1's rows single, threads, processes, tbb_parallel_for,
// tbb_task_group and part 2's items_single, items_thread_per_item, items_thread_pool,
// items_tbb_parallel_for, items_tbb_task_group (baseline items_single). Adds the run's
// warnings.
Conclusion TbbConclusions(const Results& results, const TbbRun& run,
                          lesson::RunConditions& conditions);

// Part 2's figures: one item's time alone, and what each extra thread cost per item over
// TBB's tasks (from the medians).
double ItemMicroseconds(const Results& results, int items);
double ThreadPerItemExtraMicroseconds(const Results& results, int items);

}  // namespace efficiency

#endif  // EFFICIENCY_TBB_CONCLUSIONS_H_
