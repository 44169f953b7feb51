#include "efficiency/io_bound_conclusions.h"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"

namespace efficiency {

Conclusion IoBoundConclusions(const Results& results, const IoBoundRun& run,
                              lesson::RunConditions& conditions) {
  const std::vector<std::string> modes = {"threads", "processes", "coroutines"};
  // Sleeping needs no core, so fewer cores or other work do not stop the waits from
  // overlapping; only a figure beyond what the workers can give means a broken run.
  for (const std::string& mode : modes) {
    conditions.CheckSpeedup(mode, results.Speedup(mode), run.workers);
  }
  Conclusion c;
  c.notice.push_back(lesson::Format(
      "The tutorial: single %.1f s, threads %.1f s (%.2fx), processes %.1f s (%.2fx). Here, "
      "with %d jobs: threads %.2fx, processes %.2fx, coroutines %.2fx.",
      kTutorialIoSingle, kTutorialIoThreads, kTutorialIoSingle / kTutorialIoThreads,
      kTutorialIoProcesses, kTutorialIoSingle / kTutorialIoProcesses, run.workers,
      results.Speedup("threads"), results.Speedup("processes"), results.Speedup("coroutines")));

  double most_cores = 0;
  for (const std::string& mode : modes) most_cores = std::max(most_cores, results.CoresBusy(mode));
  if (run.workers < 2) {
    c.notice.push_back(lesson::Tr(
        "With one job there are no two waits to overlap: every mode takes one job's time. "
        "The default (--workers=2, the tutorial's run3 and run4) shows the point."));
  } else if (const std::optional<std::string> b = Blocker(conditions, modes);
             b && *b == "implausible") {
    c.notice.push_back(CannotShow(results.experiment(), *b,
                                  lesson::Tr("how much the waits overlapped"),
                                  Speedups(results, modes), conditions));
  } else {
    std::vector<std::string> slow;
    for (const std::string& mode : modes) {
      if (results.Median(mode) > 1.5 * run.one_job_seconds) slow.push_back(mode);
    }
    if (slow.empty()) {
      c.notice.push_back(lesson::Format(
          "Every concurrent mode took about one job's time (threads %.3f s, processes %.3f s, "
          "coroutines %.3f s; one job alone sleeps %.3f s): the %d jobs' waits overlapped. "
          "Sleeping needs no CPU ('cores' %.2f at most), so the GIL never mattered here, in "
          "Python or in C++.",
          results.Median("threads"), results.Median("processes"),
          results.Median("coroutines"), run.one_job_seconds, run.workers, most_cores));
      if (conditions.machine().usable_cores == 1) {
        c.notice.push_back(lesson::Format(
            "This ran on 1 usable core (%s), and the waits still overlapped: waiting needs no "
            "core.",
            conditions.machine().cores_description));
      }
    }
    for (const std::string& mode : slow) {
      const double took = results.Median(mode), speedup = results.Speedup(mode);
      c.notice.push_back(
          speedup >= 1.5
              ? lesson::Format("%s took %.3f s, %.1f times one job's %.3f s: the waits "
                               "overlapped (%.2fx), but starting %d workers cost more than "
                               "the wait itself.",
                               mode, took, took / run.one_job_seconds, run.one_job_seconds,
                               speedup, run.workers)
              : lesson::Format("%s took %.3f s, no faster than the jobs one after another "
                               "(%.2fx): its waits did not overlap in this run. Run it again "
                               "when the machine is quiet.",
                               mode, took, speedup));
    }
  }
  if (!conditions.machine().optimised) {
    c.notice.push_back(lesson::Tr(
        "This build is unoptimised: a sleep lasts as long in any build, so the overlap above "
        "stands; only starting the workers would be quicker with -c opt."));
  }

  const std::optional<ResultRow> thread = results.Row("threads");
  const std::optional<ResultRow> coroutine = results.Row("coroutines");
  if (thread && coroutine && thread->bytes_per_worker && coroutine->bytes_per_worker &&
      *coroutine->bytes_per_worker > 0) {
    c.notice.push_back(lesson::Format(
        "Memory is where they differ: a thread needed %s of resident memory (the touched pages "
        "of its stack; the 8 MiB stack is only reserved, and the kernel's own stack and task "
        "struct are not in RSS), a coroutine %s (its frame on the heap): %.0f times less.",
        FormatBytes(*thread->bytes_per_worker), FormatBytes(*coroutine->bytes_per_worker),
        *thread->bytes_per_worker / *coroutine->bytes_per_worker));
  } else {
    c.notice.push_back(lesson::Format(
        "Memory is where they differ: a thread needs a stack, a coroutine only its frame on the "
        "heap. The 'per worker' column shows it from %d workers up: try --workers=1000.",
        run.min_workers_for_memory));
  }
  const double processes = results.Median("processes"), threads = results.Median("threads");
  c.notice.push_back(
      processes > 1.2 * threads
          ? lesson::Format("Processes cost the most to start: at %d workers they took %.3f s "
                           "against the threads' %.3f s (each fork copies page tables and sets "
                           "up a copy-on-write address space).",
                           run.workers, processes, threads)
          : lesson::Format("At %d workers starting processes cost little next to the sleeps "
                           "(processes %.3f s, threads %.3f s); at --workers=1000 it shows.",
                           run.workers, processes, threads));
  c.notice.push_back(lesson::Tr(
      "time.sleep stands for blocking I/O. Real I/O on one thread needs non-blocking sockets "
      "and readiness events (epoll): //coroutine:echo shows that."));
  return c;
}

}  // namespace efficiency
