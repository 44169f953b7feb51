#include "efficiency/processes_and_coroutines_conclusions.h"

#include <algorithm>
#include <optional>
#include <vector>

#include "absl/strings/str_format.h"

namespace efficiency {
namespace {

const std::vector<std::string>& Contenders() {
  static const auto* modes = new std::vector<std::string>{"coroutines", "threads", "threads_gil",
                                                          "processes_coroutines"};
  return *modes;
}

}  // namespace

Fastest FastestMode(const Results& results) {
  Fastest f{Contenders()[0], ""};
  for (const std::string& mode : Contenders()) {
    if (results.Median(mode) < results.Median(f.mode)) f.mode = mode;
  }
  for (const std::string& mode : Contenders()) {
    if (mode == f.mode) continue;
    if (!f.margins.empty()) f.margins += "; ";
    f.margins +=
        lesson::Format("%.2fx faster than %s", results.Median(mode) / results.Median(f.mode), mode)
            .str();
  }
  return f;
}

Conclusion ProcessesAndCoroutinesConclusions(const Results& results, const MixedRun& run,
                                             lesson::RunConditions& conditions) {
  const int parallel = std::min(run.processes, run.jobs);
  // No speedup check: the baseline is the jobs one after the other, mostly waiting, so
  // every concurrent mode is many times faster than its worker count.
  if (parallel >= 2) conditions.CheckWorkers(parallel, {"processes_coroutines", "threads"});
  const double pc = results.Median("processes_coroutines");
  const double vs_loop = results.Median("coroutines") / pc;
  const double vs_gil = results.Median("threads_gil") / pc;
  const double vs_threads = results.Median("threads") / pc;

  Conclusion c;
  const Fastest fastest = FastestMode(results);
  c.lines.push_back(lesson::Format("Fastest: %s — %s.", fastest.mode, fastest.margins));
  if (parallel < 2) {
    c.notice.push_back(lesson::Format(
        "With one process, processes + coroutines is one event loop in a child: %.2fx against "
        "one loop here. The default (one process per usable core) shows what more processes "
        "add.",
        vs_loop));
  } else if (const std::optional<std::string> b =
                 Blocker(conditions, {"processes_coroutines", "threads"})) {
    c.notice.push_back(CannotShow(
        results.experiment(), *b, lesson::Tr("what several processes add to coroutines"),
        lesson::Format("processes_coroutines against coroutines %.2fx, against threads_gil "
                       "%.2fx, against threads %.2fx",
                       vs_loop, vs_gil, vs_threads)
            .str(),
        conditions));
  } else {
    c.notice.push_back(
        vs_loop >= 1.3
            ? lesson::Format("Processes + coroutines vs one event loop: %.2fx. One loop overlaps "
                             "the waits but computes on one core ('cores' %.2f); %d loops "
                             "computed on %d cores ('cores' %.2f).",
                             vs_loop, results.CoresBusy("coroutines"), parallel, parallel,
                             results.CoresBusy("processes_coroutines"))
            : lesson::Format("Processes + coroutines vs one event loop: only %.2fx. Computing is "
                             "a small part of each job here, and one loop already overlaps the "
                             "waits (try a larger --cpu_iterations).",
                             vs_loop));
    c.notice.push_back(
        vs_gil >= 1.3
            ? lesson::Format("Processes + coroutines vs threads under a GIL (what Python "
                             "threads would do): %.2fx. This is the tutorial's claim, and here "
                             "it holds.",
                             vs_gil)
            : lesson::Format("Processes + coroutines vs threads under a GIL: only %.2fx. The "
                             "GIL's turns cost little when computing is a small part of each "
                             "job (try a larger --cpu_iterations).",
                             vs_gil));
    c.notice.push_back(
        vs_threads >= 1.0
            ? lesson::Format("Processes + coroutines vs plain C++ threads: %.2fx. Without a "
                             "GIL, threads already compute on every core, so the win shrinks to "
                             "the cost of %d threads (creation, scheduling, a stack each) "
                             "against %d forks.",
                             vs_threads, run.jobs, run.processes)
            : lesson::Format("Plain C++ threads were faster than processes + coroutines here "
                             "(%.2fx): without a GIL they compute on every core, and %d threads "
                             "cost less than %d forks and their event loops at this size.",
                             1 / vs_threads, run.jobs, run.processes));
  }
  c.notice.push_back(lesson::Tr(
      "A coroutine that computes blocks its whole event loop: in 'coroutines' every job's "
      "computing waits for the others' (cores near 1). Keep computing steps short, or run one "
      "loop per core as here."));
  c.notice.push_back(lesson::Tr(
      "The shape of the work decides: with more waiting and less computing (--cpu_iterations "
      "small) one event loop is enough; with more computing, the cores matter more."));
  return c;
}

}  // namespace efficiency
