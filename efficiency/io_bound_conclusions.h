// efficiency/io_bound_conclusions.h — what //efficiency:io_bound may conclude from its
// figures (see conclusion.h).
//
// The point: while a thread sleeps (or waits for I/O) it needs no CPU, so the waits of
// threads, processes and coroutines overlap, whatever the GIL does and however many cores
// there are: each concurrent mode takes about one job's time. This holds on one core too,
// so fewer cores is not a condition here; an unoptimised build does not change how long a
// sleep takes, so it is said but does not stop the conclusion. Memory is where the modes
// differ (from --workers=100 up).
#ifndef EFFICIENCY_IO_BOUND_CONCLUSIONS_H_
#define EFFICIENCY_IO_BOUND_CONCLUSIONS_H_

#include "common/run_conditions.h"
#include "efficiency/conclusion.h"
#include "efficiency/results.h"

namespace efficiency {

struct IoBoundRun {
  int workers = 2;               // jobs, and workers of each concurrent mode
  double one_job_seconds = 0;    // one job's sleeps, one after the other
  int min_workers_for_memory = 100;
};

// `results` has the rows single, threads, processes, coroutines (peak RSS each; memory per
// worker for threads and coroutines from min_workers_for_memory up). Adds the run's
// warnings (implausible).
Conclusion IoBoundConclusions(const Results& results, const IoBoundRun& run,
                              lesson::RunConditions& conditions);

inline constexpr double kTutorialIoSingle = 18.0, kTutorialIoThreads = 9.0,
                        kTutorialIoProcesses = 9.1;

}  // namespace efficiency

#endif  // EFFICIENCY_IO_BOUND_CONCLUSIONS_H_
