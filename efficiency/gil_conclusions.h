// efficiency/gil_conclusions.h — what //efficiency:gil may conclude from its figures (see
// conclusion.h).
//
// The points, each said only when this run's figures show it:
//   - under one emulated interpreter lock threads take turns (about 1x, 'cores' about 1),
//     while processes, each with its own lock, and the same threads without the lock run
//     in parallel (needs two free cores and an optimised build);
//   - the tutorial's first FAQ: threads that block (time.sleep, I/O) let one core run at
//     100% under the GIL, and never more than one ("多线程至少有机会让你把一个CPU核心跑到100%");
//   - the tutorial's second FAQ: the GIL does not make `num += i` atomic: updates are lost
//     when a switch falls between the read and the write, never with the lock.
#ifndef EFFICIENCY_GIL_CONCLUSIONS_H_
#define EFFICIENCY_GIL_CONCLUSIONS_H_

#include <cstdint>

#include "common/run_conditions.h"
#include "efficiency/conclusion.h"
#include "efficiency/results.h"

namespace efficiency {

// What the runs of one race variant showed.
struct RaceTally {
  int runs = 0;
  int lost = 0;                // runs that ended with num != 0
  int64_t switches = 0;        // hand-overs of the GIL, all runs
  int64_t mid_update = 0;      // of those, between a read and its write
  int max_holders = 0;         // most threads holding the GIL at once, any run
};

struct GilRun {
  int jobs = 2;
  int workers = 2;
  int io_threads = 4;
  int threads_max_holders = 0;  // the threads mode's last run
  int64_t threads_switches = 0;
  RaceTally every_step{};         // a switch may fall between read and write (CPython <= 3.9)
  RaceTally between_statements{}; // only between statements (CPython >= 3.10 in this loop)
  RaceTally with_lock{};          // `with lock:` around both statements
};

// `results` has the rows single, threads, processes, threads_without_gil (baseline
// single) and io_single, io_threads_gil (baseline io_single). Adds the run's warnings.
Conclusion GilConclusions(const Results& results, const GilRun& run,
                          lesson::RunConditions& conditions);

}  // namespace efficiency

#endif  // EFFICIENCY_GIL_CONCLUSIONS_H_
