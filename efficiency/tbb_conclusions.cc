#include "efficiency/tbb_conclusions.h"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

namespace efficiency {

double ItemMicroseconds(const Results& results, int items) {
  return results.Median("items_single") * 1e6 / items;
}

double ThreadPerItemExtraMicroseconds(const Results& results, int items) {
  return (results.Median("items_thread_per_item") - results.Median("items_tbb_task_group")) *
         1e6 / items;
}

Conclusion TbbConclusions(const Results& results, const TbbRun& run,
                          lesson::RunConditions& conditions) {
  const std::vector<std::string> long_modes = {"threads", "processes", "tbb_parallel_for",
                                               "tbb_task_group"};
  const std::vector<std::string> item_modes = {"items_thread_pool", "items_tbb_parallel_for",
                                               "items_tbb_task_group"};
  const int parallel = std::min(run.workers, run.jobs);
  const int item_parallel = std::min(run.workers, run.items);
  if (parallel >= 2) CheckParallelModes(results, long_modes, parallel, conditions);
  if (item_parallel >= 2) CheckParallelModes(results, item_modes, item_parallel, conditions);

  Conclusion c;
  // Part 1: long jobs.
  double fastest = 0, slowest = 1e300;
  for (const std::string& mode : long_modes) {
    fastest = std::max(fastest, results.Speedup(mode));
    slowest = std::min(slowest, results.Speedup(mode));
  }
  if (parallel < 2) {
    c.notice.push_back(lesson::Format(
        "Long jobs: with --jobs=%d and --workers=%d only one job runs at a time, so every way "
        "gives about 1x (%s).",
        run.jobs, run.workers, Speedups(results, long_modes)));
  } else if (const std::optional<std::string> b = Blocker(conditions, long_modes)) {
    c.notice.push_back(CannotShow(results.experiment(), *b,
                                  lesson::Tr("how the ways of reaching the cores compare on "
                                             "long jobs"),
                                  Speedups(results, long_modes), conditions));
  } else if (ShowsParallelism(slowest, parallel) && slowest >= 0.85 * fastest) {
    c.notice.push_back(lesson::Format(
        "Long jobs: %s. When each piece of work is long, how it reaches a core hardly matters "
        "(within %.0f%% here); TBB saves writing the split and the joins by hand.",
        Speedups(results, long_modes), (1 - slowest / fastest) * 100));
  } else {
    c.notice.push_back(lesson::Format(
        "Long jobs: %s. They were not all near %dx on a quiet machine with free cores: run it "
        "again; if it repeats, the jobs are too short for the slower ways' start-up costs "
        "(try a larger --iterations).",
        Speedups(results, long_modes), parallel));
  }

  // Part 2: small items, a thread each (oversubscription) against TBB's tasks.
  const double per_item = results.Speedup("items_thread_per_item");
  const double tasks = std::min(results.Speedup("items_tbb_parallel_for"),
                                results.Speedup("items_tbb_task_group"));
  const double item_us = ItemMicroseconds(results, run.items);
  const double extra_us = ThreadPerItemExtraMicroseconds(results, run.items);
  c.notice.push_back(lesson::Format(
      "Small items (%.1f us each): a thread per item %.2fx, a pool of %d threads %.2fx, TBB "
      "tasks %.2fx (parallel_for) and %.2fx (task_group).",
      item_us, per_item, run.workers, results.Speedup("items_thread_pool"),
      results.Speedup("items_tbb_parallel_for"), results.Speedup("items_tbb_task_group")));
  if (const std::optional<std::string> b = Blocker(conditions, {"items_thread_per_item"});
      b && *b == "unoptimised_build") {
    c.notice.push_back(CannotShow(results.experiment(), *b,
                                  lesson::Tr("what a thread per item costs"),
                                  Speedups(results, {"items_thread_per_item", "items_tbb_task_group"}),
                                  conditions));
  } else if (per_item < 0.8 * tasks && extra_us > 0) {
    c.notice.push_back(lesson::Format(
        "Each extra thread cost about %.1f us per item here (creating it, scheduling it among "
        "%d others, destroying it), next to %.1f us of work: TBB reuses %d threads and only "
        "queues function objects. This holds on any number of cores.",
        extra_us, run.items, item_us, run.workers));
  } else {
    c.notice.push_back(lesson::Format(
        "A thread per item was not clearly slower than TBB's tasks here (%.2fx against %.2fx): "
        "items of %.1f us outweighed creating a thread. Smaller items show the cost: try "
        "--item_iterations=2000.",
        per_item, tasks, item_us));
  }
  c.notice.push_back(lesson::Tr(
      "More threads than cores (oversubscription) never adds speed for CPU work; it adds "
      "creation, context switches and a stack per thread. Python programmers get the same "
      "advice (concurrent.futures pools); the tutorial's 'threads are cheap' holds only next "
      "to processes."));
  return c;
}

}  // namespace efficiency
