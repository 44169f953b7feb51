// efficiency/cpu_bound_conclusions.h — what //efficiency:cpu_bound may conclude from its
// figures (see conclusion.h).
//
// The point: C++ has no interpreter lock, so two threads run on two cores at once, like two
// processes (the tutorial's CPython threads took turns: 1.07x). And the tutorial's 效率
// introduction: the same job either with fewer resources and more waiting (one core) or
// with more resources and less waiting (two cores), shown by the single and threads rows:
// CPU-seconds spent against wall time.
#ifndef EFFICIENCY_CPU_BOUND_CONCLUSIONS_H_
#define EFFICIENCY_CPU_BOUND_CONCLUSIONS_H_

#include "common/run_conditions.h"
#include "efficiency/conclusion.h"
#include "efficiency/results.h"

namespace efficiency {

struct CpuBoundRun {
  int jobs = 2;
  int workers = 2;
  double iterations = 0;  // per job
};

// `results` has the rows single, threads, processes and tbb. Adds the run's warnings to
// `conditions` (fewer_cores, busy_machine, implausible).
Conclusion CpuBoundConclusions(const Results& results, const CpuBoundRun& run,
                               lesson::RunConditions& conditions);

// The tutorial's figures (its machine, 2 x 10^9 iterations of `pass`).
inline constexpr double kTutorialCpuSingle = 46.8, kTutorialCpuThreads = 43.9,
                        kTutorialCpuProcesses = 23.3;

}  // namespace efficiency

#endif  // EFFICIENCY_CPU_BOUND_CONCLUSIONS_H_
