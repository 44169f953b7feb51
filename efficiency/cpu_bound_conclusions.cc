#include "efficiency/cpu_bound_conclusions.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

namespace efficiency {

Conclusion CpuBoundConclusions(const Results& results, const CpuBoundRun& run,
                               lesson::RunConditions& conditions) {
  const std::vector<std::string> parallel_modes = {"threads", "processes", "tbb"};
  const int parallel = std::min(run.workers, run.jobs);  // jobs that can run at once
  if (parallel >= 2) CheckParallelModes(results, parallel_modes, parallel, conditions);

  const double threads = results.Speedup("threads"), processes = results.Speedup("processes"),
               tbb = results.Speedup("tbb");
  const std::optional<ResultRow> single = results.Row("single"), threaded = results.Row("threads");
  Conclusion c;
  c.notice.push_back(lesson::Format(
      "The tutorial (CPython): single %.1f s, threads %.1f s (%.2fx), processes %.1f s "
      "(%.2fx). Here: threads %.2fx, processes %.2fx, tbb %.2fx.",
      kTutorialCpuSingle, kTutorialCpuThreads, kTutorialCpuSingle / kTutorialCpuThreads,
      kTutorialCpuProcesses, kTutorialCpuSingle / kTutorialCpuProcesses, threads, processes,
      tbb));

  const std::optional<std::string> blocker = Blocker(conditions, parallel_modes);
  const bool shown = parallel >= 2 && !blocker && ShowsParallelism(threads, parallel);
  if (parallel < 2) {
    c.notice.push_back(lesson::Format(
        "With --jobs=%d and --workers=%d at most one job runs at a time: there is nothing to "
        "run in parallel, so every mode is about 1x (%s). The defaults (2 jobs, 2 workers) "
        "show the point.",
        run.jobs, run.workers, Speedups(results, parallel_modes)));
  } else if (blocker) {
    c.notice.push_back(CannotShow(results.experiment(), *blocker,
                                  lesson::Tr("that C++ threads run in parallel"),
                                  Speedups(results, parallel_modes), conditions));
  } else if (shown) {
    c.notice.push_back(lesson::Format(
        "C++ has no interpreter lock: the %d threads ran on %d cores at once (threads %.2fx, "
        "'cores' %.2f), as the processes did (%.2fx, 'cores' %.2f). CPython's threads took "
        "turns under its GIL (the tutorial: 1.07x).",
        parallel, parallel, threads, results.CoresBusy("threads"), processes,
        results.CoresBusy("processes")));
    const double fastest = std::max({threads, processes, tbb});
    const double slowest = std::min({threads, processes, tbb});
    if (slowest >= 0.9 * fastest) {
      c.notice.push_back(lesson::Format(
          "Threads, processes and TBB ended within %.0f%% of each other: each job is long and "
          "shares nothing, so starting a thread (tens of microseconds) or forking a process "
          "(a few hundred) is invisible next to it. //efficiency:costs measures those costs.",
          (1 - slowest / fastest) * 100));
    } else {
      c.notice.push_back(lesson::Format(
          "Threads, processes and TBB differed by %.0f%% here (%s): more than starting them "
          "costs. Run it again: if it repeats, something on this machine favours one of them.",
          (1 - slowest / fastest) * 100, Speedups(results, parallel_modes)));
    }
  } else {
    c.notice.push_back(lesson::Format(
        "On a quiet machine with %d usable cores the %d threads reached only %.2fx (processes "
        "%.2fx): less than %d cores at work. Something this experiment cannot see slowed them "
        "(a busy neighbour of this virtual machine, the CPU clock); run it again.",
        conditions.machine().usable_cores, parallel, threads, processes, parallel));
  }

  // The tutorial's 效率 introduction: time against resources (cores), on the same job.
  if (single && threaded && single->seconds.median > 0 && threaded->seconds.median > 0) {
    if (shown) {
      const double cpu_ratio = threaded->cpu_seconds / single->cpu_seconds;
      c.notice.push_back(lesson::Format(
          "The tutorial opens its efficiency section with 'time and space cannot both be had', "
          "and two ways of working. Measured on one job: fewer resources and more waiting (one "
          "core: %.3f s), or more resources and less waiting (%.2f cores at once: %.3f s). %s",
          single->seconds.median, threaded->cores_busy(), threaded->seconds.median,
          cpu_ratio <= 1.15
              ? lesson::Format("The CPU time hardly changed (%.3f against %.3f CPU-seconds): "
                               "more cores buy less waiting, not less work.",
                               single->cpu_seconds, threaded->cpu_seconds)
                    .str()
              : lesson::Format("The CPU time rose from %.3f to %.3f CPU-seconds: the waiting "
                               "was bought with more cores and some extra work.",
                               single->cpu_seconds, threaded->cpu_seconds)
                    .str()));
    } else {
      c.notice.push_back(lesson::Format(
          "The tutorial's two ways of working (fewer resources and more waiting, or more "
          "resources and less waiting) need the extra resources to exist: here the threads "
          "kept %.2f cores busy on average and took %.3f s, one thread %.3f s.",
          threaded->cores_busy(), threaded->seconds.median, single->seconds.median));
    }
  }
  if (single && run.iterations > 0) {
    const double ns = single->seconds.median * 1e9 / (run.jobs * run.iterations);
    c.notice.push_back(lesson::Format(
        "One iteration here took %.2f ns; the tutorial's Python loop took %.1f ns per "
        "iteration (46.8 s / 2x10^9) on its own machine: CPython runs several bytecodes per "
        "iteration of `pass`, the compiled loop one multiply-add.",
        ns, kTutorialCpuSingle / 2e9 * 1e9));
  }
  c.notice.push_back(lesson::Tr(
      "Without benchmark::DoNotOptimize (or a result that is used) the optimiser deletes an "
      "empty loop and the 'experiment' times nothing: work.h explains what is kept."));
  return c;
}

}  // namespace efficiency
