// efficiency/costs_conclusions.h — what //efficiency:costs may conclude from its
// micro-benchmarks (see conclusion.h).
//
// The tutorial's 优势/劣势 in numbers: switching between coroutines against threads and
// processes, creating each, and an uncontended lock. Switches are compared on one core,
// where a round trip is two real context switches; the cross-core rows need two usable
// cores and a quiet machine to mean anything, and every row needs an optimised build.
#ifndef EFFICIENCY_COSTS_CONCLUSIONS_H_
#define EFFICIENCY_COSTS_CONCLUSIONS_H_

#include <map>
#include <string>

#include "common/message.h"
#include "common/run_conditions.h"
#include "efficiency/conclusion.h"

namespace efficiency {

// Benchmark function name ("BM_ThreadPingPongOneCore") -> wall nanoseconds per iteration
// (the median over repetitions). A benchmark that did not run is absent.
using CostTable = std::map<std::string, double>;

// "Summary: thread switch / coroutine switch = 124x (4456 ns / 36 ns) on one core, ...":
// the ratios the tutorial talks about, "n/a (not run)" where a benchmark is missing.
lesson::Text CostsSummary(const CostTable& ns);

// Adds the run's warnings (fewer_cores and busy_machine for the cross-core rows).
Conclusion CostsConclusions(const CostTable& ns, lesson::RunConditions& conditions);

}  // namespace efficiency

#endif  // EFFICIENCY_COSTS_CONCLUSIONS_H_
