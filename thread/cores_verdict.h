// thread/cores_verdict.h — what //thread:cores may conclude from the figures it measured.
//
// The lesson runs the tutorial's three pictures (one core one thread, one core two
// threads, two cores two threads) and a sweep over the thread count, then closes with
// sentences about time slicing (按时间片强制切换), parallelism and "线程数等于核芯数时，
// 效率最高". Each sentence here is chosen from the run's own figures and the machine it
// ran on (lesson::RunConditions: usable cores, a busy machine, an unoptimised build), so
// that `taskset -c 0` or a busy laptop gets what it really showed, not the textbook.
//
// Pure functions of their inputs: the tests feed them synthetic runs.
#ifndef THREAD_CORES_VERDICT_H_
#define THREAD_CORES_VERDICT_H_

#include <optional>
#include <vector>

#include "common/message.h"
#include "common/run_conditions.h"

namespace cores {

// One case: how long it took, the CPU it used, how often the kernel took a CPU away
// from a running worker (involuntary context switches), and when each task finished.
struct CaseFigures {
  double wall_ms = 0;
  double cpu_ms = 0;
  long preemptions = 0;
  std::vector<double> done_at_ms;  // One per task, in the order the tasks were given.
};

// One row of the sweep: the same total work split over `threads` threads.
struct SweepRow {
  int threads = 1;
  double wall_ms = 0;
  double cpu_ms = 0;
};

struct Figures {
  CaseFigures one_core_one_thread;   // case 1: two tasks one after the other
  CaseFigures one_core_two_threads;  // case 2: two threads pinned to one CPU
  std::optional<CaseFigures> two_cores;  // case 3: absent when one CPU is usable
  std::vector<SweepRow> sweep;           // rows for 1, 2, ... threads
};

// The time-slicing figures of case 2 against case 1.
struct Slicing {
  double gap_alone_ms = 0;   // case 1: between the two tasks' ends (about one task)
  double gap_sliced_ms = 0;  // case 2: between the two ends (near 0 if they took turns)
  double slice_ms = 0;       // case 2: CPU time per preemption (0 if none)
  bool took_turns = false;   // case 2's tasks ended together, case 1's a task apart
};
Slicing MeasureSlicing(const Figures& figures);

// The sweep: the fewest threads within 10% of the fastest wall time.
int PlateauThreads(const std::vector<SweepRow>& sweep);

// Speed-up of each sweep row over the first (1 thread).
double SweepSpeedup(const std::vector<SweepRow>& sweep, int index);

// Adds the warnings that concern this run (fewer cores than the two workers of case 3
// and of the sweep, implausible speed-ups) to `conditions`.
void CheckRun(const Figures& figures, lesson::RunConditions& conditions);

// The closing points, in the reader's language.
std::vector<lesson::Text> Conclusions(const Figures& figures,
                                      const lesson::RunConditions& conditions);

}  // namespace cores

#endif  // THREAD_CORES_VERDICT_H_
