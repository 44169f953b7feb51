#include "efficiency/gil_conclusions.h"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"

namespace efficiency {
namespace {

// The tutorial's second FAQ, from the three race variants.
void RacePoints(const GilRun& run, Conclusion& c) {
  const RaceTally& every = run.every_step;
  if (every.lost > 0) {
    c.notice.push_back(lesson::Format(
        "With a switch possible between the read and the write of `num += i` (CPython up to "
        "3.9), %d of %d runs lost updates (%d of %d switches fell there): the GIL keeps each "
        "step whole, not the statement.",
        every.lost, every.runs, every.mid_update, every.switches));
  } else {
    c.notice.push_back(lesson::Format(
        "With switches allowed between the read and the write, no run lost an update this "
        "time (%d of %d switches fell there): the runs were too short for it. The race is "
        "there all the same: try --race_iterations=10000000.",
        every.mid_update, every.switches));
  }
  const RaceTally& between = run.between_statements;
  c.notice.push_back(
      between.lost == 0
          ? lesson::Format(
                "With switches only between statements (CPython 3.10 and later, in this loop) "
                "no run lost an update (%d runs, %d switches): that is why the tutorial's "
                "program prints 0 on CPython 3.11 (this machine's 3.11.7: 0, 0, 0 in three "
                "runs), not the tutorial's -1515072. A function call between the read and the "
                "write brings the race back (efficiency/README.md).",
                between.runs, between.switches)
          : lesson::Format("%d of %d runs lost updates although switches fell only between "
                           "statements: that is a bug in this lesson, please report it.",
                           between.lost, between.runs));
  const RaceTally& locked = run.with_lock;
  c.notice.push_back(
      locked.lost == 0
          ? lesson::Format("With `with lock:` around both statements every run ended at 0 (%d "
                           "runs, %d hand-overs of the GIL): the tutorial's answer to 'why lock "
                           "under a GIL?' holds.",
                           locked.runs, locked.switches)
          : lesson::Format("%d of %d runs lost updates with the lock held: that is a bug in "
                           "this lesson, please report it.",
                           locked.lost, locked.runs));
}

}  // namespace

Conclusion GilConclusions(const Results& results, const GilRun& run,
                          lesson::RunConditions& conditions) {
  const std::vector<std::string> parallel_modes = {"processes", "threads_without_gil"};
  const int parallel = std::min(run.workers, run.jobs);
  if (parallel >= 2) CheckParallelModes(results, parallel_modes, parallel, conditions);
  const double threads = results.Speedup("threads"), threads_cores = results.CoresBusy("threads");
  const double processes = results.Speedup("processes");
  const double without = results.Speedup("threads_without_gil");
  // Taking turns can never beat one thread; a figure above that is the machine changing.
  if (threads > 1.15) {
    conditions.Add({"implausible",
                    lesson::Format("threads under one lock measured %.2fx: taking turns cannot "
                                   "beat one thread, so the machine changed during the run. Run "
                                   "it again.",
                                   threads),
                    {"threads"}});
  }
  const bool took_turns = threads <= 1.25 && threads_cores <= 1.25;

  Conclusion c;
  c.lines.push_back(lesson::Format("threads mode, last run: the lock changed hands %d times; at "
                                   "most %d thread held it at once.",
                                   run.threads_switches, run.threads_max_holders));
  const std::optional<std::string> blocker =
      Blocker(conditions, {"threads", "processes", "threads_without_gil"});
  if (parallel < 2) {
    c.notice.push_back(lesson::Format(
        "With --jobs=%d and --workers=%d only one job runs at a time, with or without the "
        "lock: every mode is about 1x (%s). The defaults (2 jobs, 2 workers) show the point.",
        run.jobs, run.workers, Speedups(results, {"threads", "processes", "threads_without_gil"})));
  } else if (blocker) {
    c.notice.push_back(CannotShow(results.experiment(), *blocker,
                                  lesson::Tr("the difference between one lock for all threads "
                                             "and one lock per process"),
                                  Speedups(results, {"threads", "processes", "threads_without_gil"}),
                                  conditions));
  } else if (took_turns && ShowsParallelism(processes, parallel) &&
             ShowsParallelism(without, parallel)) {
    c.notice.push_back(lesson::Format(
        "Under one interpreter lock the %d threads took turns: %.2fx, 'cores' %.2f (the "
        "tutorial's CPython threads: 1.07x). Processes, each with its own lock, reached %.2fx "
        "(the tutorial: 2.01x), and the same threads without the lock %.2fx: the lock, not "
        "the threads, is what serialises CPython.",
        parallel, threads, threads_cores, processes, without));
  } else {
    if (!took_turns) {
      c.notice.push_back(lesson::Format(
          "The threads under one lock reached %.2fx ('cores' %.2f): more than taking turns "
          "allows. Run it again.",
          threads, threads_cores));
    }
    if (!ShowsParallelism(processes, parallel)) {
      c.notice.push_back(lesson::Format(
          "Processes reached only %.2fx although %d cores were free: one run of the single mode "
          "lasts %.3f s, and starting %d processes (fork, copy-on-write, reaping) weighs on "
          "that. A larger --iterations shows their parallelism better.",
          processes, conditions.machine().usable_cores, results.Median("single"), parallel));
    }
    if (!ShowsParallelism(without, parallel)) {
      c.notice.push_back(lesson::Format(
          "The threads without the lock reached only %.2fx although %d cores were free: "
          "something this experiment cannot see slowed them. Run it again.",
          without, conditions.machine().usable_cores));
    }
  }

  // The tutorial's first FAQ: is multithreading worth it under a GIL?
  const double one = results.CoresBusy("io_single"), many = results.CoresBusy("io_threads_gil");
  if (const std::optional<std::string> b = Blocker(conditions, {"io_threads_gil"})) {
    c.notice.push_back(CannotShow(
        results.experiment(), *b, lesson::Tr("how busy threads that block keep one core"),
        lesson::Format("io_single 'cores' %.2f, io_threads_gil 'cores' %.2f", one, many).str(),
        conditions));
  } else if (many >= 0.85) {
    c.notice.push_back(lesson::Format(
        "The tutorial's first FAQ, measured: one thread that computes, then blocks, kept its "
        "core busy %.0f%% of the time ('cores' %.2f); %d threads under the same lock kept it "
        "%.0f%% busy ('cores' %.2f) and finished %.2fx sooner, never above one core. While one "
        "thread blocks, another computes: threads can run one core at 100%%, and under a GIL "
        "no more.",
        one * 100, one, run.io_threads, many * 100, many, results.Speedup("io_threads_gil")));
  } else {
    c.notice.push_back(lesson::Format(
        "The tutorial's first FAQ: %d threads under one lock kept the core only %.0f%% busy "
        "here ('cores' %.2f; one thread: %.2f): this run did not fill the core. Run it again "
        "when the machine is quiet.",
        run.io_threads, many * 100, many, one));
  }

  RacePoints(run, c);
  const int most = std::max({run.threads_max_holders, run.every_step.max_holders,
                             run.between_statements.max_holders, run.with_lock.max_holders});
  c.notice.push_back(lesson::Format(
      "At most %d thread held the emulated GIL at any moment, in every run (counted by the "
      "lock itself; --trace=gil.json shows the turns on a timeline).",
      most));
  c.notice.push_back(lesson::Tr(
      "The tutorial's fix says to use the 'multiprocess' library instead of Thread; its own "
      "code imports multiprocessing, the standard library's module, which copies the "
      "threading API (Process(target=..., args=...), start(), join()). multiprocess, without "
      "-ing, is a separate package on PyPI (a fork of multiprocessing)."));
  c.notice.push_back(lesson::Tr(
      "Under this lock `num` is not a C++ data race (every access is ordered by the lock's "
      "mutex, so ThreadSanitizer stays quiet): the lost updates are a logic race. A lock "
      "protects memory; only your own lock protects your invariant."));
  return c;
}

}  // namespace efficiency
