#include "thread/cores_verdict.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "absl/strings/str_format.h"

namespace cores {
namespace {

// From this many CPU-seconds per wall second, case 3's two threads ran at once most of
// the time (one core alone can give at most 1).
constexpr double kParallelCpu = 1.6;
// Case 2's tasks "ended together" when their ends are this close, relative to case 1's.
constexpr double kTogether = 0.25;
// The sweep shows "stops improving at the core count" only if, there, it reached this
// share of the ideal speed-up (the core count).
constexpr double kClearSweep = 0.75;
// Fewer preemptions than this in case 2 is too few to speak of time slicing.
constexpr long kFewPreemptions = 3;

double Gap(const CaseFigures& c) {
  if (c.done_at_ms.size() < 2) return 0;
  return std::abs(c.done_at_ms[1] - c.done_at_ms[0]);
}

}  // namespace

Slicing MeasureSlicing(const Figures& f) {
  Slicing s;
  s.gap_alone_ms = Gap(f.one_core_one_thread);
  s.gap_sliced_ms = Gap(f.one_core_two_threads);
  const long preemptions = f.one_core_two_threads.preemptions;
  s.slice_ms = preemptions > 0 ? f.one_core_two_threads.cpu_ms / preemptions : 0;
  s.took_turns = s.gap_alone_ms > 0 && s.gap_sliced_ms < kTogether * s.gap_alone_ms;
  return s;
}

int PlateauThreads(const std::vector<SweepRow>& sweep) {
  if (sweep.empty()) return 0;
  double best = sweep[0].wall_ms;
  for (const SweepRow& row : sweep) best = std::min(best, row.wall_ms);
  for (const SweepRow& row : sweep) {
    if (row.wall_ms <= 1.10 * best) return row.threads;
  }
  return sweep.back().threads;
}

double SweepSpeedup(const std::vector<SweepRow>& sweep, int index) {
  if (sweep.empty() || sweep[index].wall_ms <= 0) return 0;
  return sweep[0].wall_ms / sweep[index].wall_ms;
}

void CheckRun(const Figures& f, lesson::RunConditions& conditions) {
  const int cores = conditions.machine().usable_cores;
  conditions.CheckWorkers(2, {"多核多线程", "sweep"});
  if (f.two_cores.has_value() && f.two_cores->wall_ms > 0) {
    conditions.CheckSpeedup("多核多线程", f.one_core_two_threads.wall_ms / f.two_cores->wall_ms,
                            2);
  }
  for (size_t i = 1; i < f.sweep.size(); ++i) {
    const int workers = std::min(f.sweep[i].threads, std::max(cores, 1));
    conditions.CheckSpeedup(absl::StrFormat("threads=%d", f.sweep[i].threads),
                            SweepSpeedup(f.sweep, static_cast<int>(i)), workers);
  }
}

std::vector<lesson::Text> Conclusions(const Figures& f, const lesson::RunConditions& conditions) {
  std::vector<lesson::Text> points;
  const lesson::Machine& machine = conditions.machine();
  const bool busy = conditions.Has("busy_machine");

  // 1. Time slicing: case 2 against case 1.
  const Slicing s = MeasureSlicing(f);
  const CaseFigures& sliced = f.one_core_two_threads;
  const long alone = f.one_core_one_thread.preemptions;
  if (s.took_turns && sliced.preemptions >= kFewPreemptions && 4 * alone < 3 * sliced.preemptions) {
    points.push_back(lesson::Format(
        "按时间片强制切换, measured: in case 2 the kernel took the CPU away from a running "
        "thread %d times in %.0f ms of CPU, once every %.1f ms on average (case 1, one thread "
        "alone: %d times). Neither thread asked to stop: the scheduler preempts at the end of "
        "a time slice. So both tasks finished %.0f ms apart, at the end, instead of one task "
        "(%.0f ms) apart.",
        sliced.preemptions, sliced.cpu_ms, s.slice_ms, alone, s.gap_sliced_ms, s.gap_alone_ms));
  } else if (s.took_turns && sliced.preemptions >= kFewPreemptions) {
    points.push_back(lesson::Format(
        "按时间片强制切换: in case 2 the kernel took the CPU away from a running thread %d "
        "times in %.0f ms of CPU, and both tasks finished together (%.0f ms apart, against "
        "%.0f ms in case 1). But other programs preempted even the lone thread of case 1 %d "
        "times: on this busy machine the count mixes both. On a quiet machine case 1 is "
        "preempted almost never.",
        sliced.preemptions, sliced.cpu_ms, s.gap_sliced_ms, s.gap_alone_ms, alone));
  } else if (s.took_turns) {
    points.push_back(lesson::Format(
        "In case 2 both tasks finished together (%.0f ms apart, against %.0f ms in case 1), "
        "but the kernel counted only %d preemptions: too few to show time slices. Try a "
        "longer --task, e.g. --task=1s.",
        s.gap_sliced_ms, s.gap_alone_ms, sliced.preemptions));
  } else {
    points.push_back(lesson::Format(
        "In case 2 the two tasks finished %.0f ms apart, not together (case 1: %.0f ms): the "
        "threads did not take turns as they should on one CPU. Was pinning refused (see the "
        "warnings above)? The run cannot show time slicing.",
        s.gap_sliced_ms, s.gap_alone_ms));
  }

  // 2. Two cores at once: case 3 against case 2.
  if (!f.two_cores.has_value()) {
    points.push_back(lesson::Format(
        "Case 3 could not run: this process may use %d core (%s). With `taskset -c 0`, a "
        "one-core container or machine, two threads can only take turns, as in case 2.",
        machine.usable_cores, machine.cores_description));
  } else {
    const double speedup = f.two_cores->wall_ms > 0 ? sliced.wall_ms / f.two_cores->wall_ms : 0;
    const double cpu_per_wall = f.two_cores->wall_ms > 0 ? f.two_cores->cpu_ms / f.two_cores->wall_ms : 0;
    if (speedup > 2 * 1.15) {  // RunConditions::CheckSpeedup's bound for 2 workers.
      points.push_back(lesson::Format(
          "Case 3 measured %.2fx over case 2, more than two cores can give: the machine "
          "changed during the run (see the warning). Run it again.",
          speedup));
    } else if (cpu_per_wall >= kParallelCpu) {
      points.push_back(lesson::Format(
          "Case 3 used %.2f CPU-seconds per second of wall time, more than one core can give: "
          "the two threads really ran at the same moment, and the work ran %.2fx as fast as in "
          "case 2. Python threads cannot do this with Python code (the GIL); C++ "
          "threads can.",
          cpu_per_wall, speedup));
    } else if (busy) {
      points.push_back(lesson::Format(
          "Case 3 used only %.2f CPU-seconds per second of wall time (two free cores give "
          "close to 2) and ran %.2fx as fast as case 2: other work was already using "
          "%.2f core(s) before the run, so the second core was not free. This run cannot show "
          "two cores working at full speed.",
          cpu_per_wall, speedup, machine.busy_cores_before));
    } else {
      points.push_back(lesson::Format(
          "Case 3 used only %.2f CPU-seconds per second of wall time (two free cores give "
          "close to 2) and ran %.2fx as fast as case 2, though the machine was idle when "
          "the run began: other work took the second core during the run (another program, "
          "or a virtual CPU shared with its host). Run it again.",
          cpu_per_wall, speedup));
    }
  }

  // 3. The sweep: where does it stop improving?
  if (f.sweep.size() >= 2) {
    const int cores = machine.usable_cores;
    const int plateau = PlateauThreads(f.sweep);
    const int last = f.sweep.back().threads;
    const int at_cores = std::min(cores, last);
    const double speedup_at_cores = SweepSpeedup(f.sweep, at_cores - 1);
    if (cores <= 1) {
      double lowest = SweepSpeedup(f.sweep, 0), highest = lowest;
      for (size_t i = 1; i < f.sweep.size(); ++i) {
        lowest = std::min(lowest, SweepSpeedup(f.sweep, static_cast<int>(i)));
        highest = std::max(highest, SweepSpeedup(f.sweep, static_cast<int>(i)));
      }
      points.push_back(lesson::Format(
          "With one usable core more threads cannot make it faster: the sweep's rows measured "
          "%.2fx to %.2fx of one thread, differences that come from other work on the "
          "machine, not from cores. Here '线程数等于核芯数时，效率最高' means one thread.",
          lowest, highest));
    } else if (last < cores) {
      points.push_back(lesson::Format(
          "The sweep stopped at %d threads, below the %d usable cores (%.2fx at %d threads): "
          "raise --max_threads to see where it levels off.",
          last, cores, SweepSpeedup(f.sweep, last - 1), last));
    } else if (plateau == cores && speedup_at_cores >= kClearSweep * cores) {
      points.push_back(lesson::Format(
          "The sweep got faster up to %d threads, the %d usable cores (%.2fx), and no faster "
          "after (every larger count within 10%%). So '线程数等于核芯数时，效率最高' holds as "
          "'stops improving there': for CPU-bound work more threads than cores gain nothing. "
          "Threads that mostly wait on I/O are another story (//efficiency:io_bound).",
          cores, cores, speedup_at_cores));
    } else if (plateau > cores) {
      points.push_back(lesson::Format(
          "The sweep kept getting faster past the %d usable cores, up to %d threads: more "
          "cores cannot come from more threads, so the machine was busier when the sweep "
          "began than later. Run it again on a quieter machine.",
          cores, plateau));
    } else {
      points.push_back(busy ? lesson::Format(
                                  "The sweep reached only %.2fx at %d threads, where %d usable "
                                  "cores could give up to %dx, and stopped improving at %d "
                                  "thread(s): other work had the remaining cores, so this run "
                                  "cannot show where an idle machine levels off.",
                                  speedup_at_cores, at_cores, cores, cores, plateau)
                            : lesson::Format(
                                  "The sweep reached only %.2fx at %d threads, where %d usable "
                                  "cores could give up to %dx, and stopped improving at %d "
                                  "thread(s), though the machine was idle when the run began: "
                                  "other work took cores during the sweep. Run it again.",
                                  speedup_at_cores, at_cores, cores, cores, plateau));
    }
  }

  // 4. What the build changes, and what it does not.
  if (!machine.optimised) {
    points.push_back(lesson::Tr(
        "This build is not optimised (bazel run without -c opt). It does not spoil these "
        "ratios: one task is calibrated in this very build to cost --task of CPU, so only the "
        "number of iterations per task is smaller than with -c opt."));
  }
  points.push_back(lesson::Tr(
      "All times vary with what else the machine runs: compare ratios, not milliseconds, and "
      "read the warnings above the points."));
  return points;
}

}  // namespace cores
