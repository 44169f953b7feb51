// coroutine/task_group.cc — structured concurrency: asyncio.TaskGroup (beyond the tutorial)
//
// With create_task and gather (方法详解), a task can outlive the code that started it, and
// when one of several tasks fails, the others run on unattended. Python 3.11's TaskGroup
// gives tasks a scope: `async with TaskGroup() as tg:` does not end until every task
// created in it has ended; the first failure cancels the others (and the body); and the
// failures come out together, as an ExceptionGroup. Trio's nurseries and Kotlin's
// coroutineScope are the same idea.
//
// In C++: coro::WithTaskGroup(body) hands the group to the body (a lambda returning a
// Task), so that the group cannot go out of scope while its tasks run; failures come out
// as one coro::TaskGroupError. Beside it, for contrast, the same failure under gather(),
// which leaves the other tasks running, and gather(return_exceptions=True).
//
//   bazel run //coroutine:task_group
//   bazel run //coroutine:task_group -- --fetch=100ms --trace=/tmp/tg.json
#include <stdexcept>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "common/flags.h"
#include "common/lesson.h"
#include "common/stopwatch.h"
#include "coroutine/coro/async_task_group.h"
#include "coroutine/coro/event_loop.h"
#include "coroutine/coro/gather_and_wait.h"
#include "coroutine/coro/task.h"

ABSL_FLAG(absl::Duration, fetch, absl::Milliseconds(200),
          "the time unit: fetches take 1, 2 and 3 units, a failing one fails after half a unit");

namespace {

using coro::Duration;

lesson::Stopwatch part_clock;  // restarted by each part
int Ms() { return static_cast<int>(part_clock.Seconds() * 1000 + 0.5); }

// A fetch that takes `units` and reports how it ended.
coro::Task<std::string> Fetch(std::string name, Duration unit, int units, int* cancelled) {
  try {
    co_await coro::Sleep(unit * units);
  } catch (const coro::CancelledError&) {
    lesson::Print("  fetch %s: cancelled at %d ms", name, Ms());
    ++*cancelled;
    throw;
  }
  lesson::Print("  fetch %s: done at %d ms", name, Ms());
  co_return name;
}

coro::Task<std::string> FailingFetch(std::string name, Duration unit) {
  co_await coro::Sleep(unit / 2);
  lesson::Print("  fetch %s: fails at %d ms", name, Ms());
  throw std::runtime_error("ECONNREFUSED (" + name + ")");
}

struct Figures {
  int group_ended_ms = 0;       // part 1
  int failure_ms = 0;           // part 2: when the TaskGroupError came out
  int cancelled_siblings = 0;   // part 2
  int reported_together = 0;    // part 3: failures in one TaskGroupError
  int gather_threw_ms = 0;      // part 4
  int finished_after_gather = 0;
};

coro::Task<void> AllSucceed(Duration unit, Figures* f) {
  int cancelled = 0;
  co_await coro::WithTaskGroup([&](coro::TaskGroup& tg) -> coro::Task<void> {
    tg.CreateTask(Fetch("a", unit, 1, &cancelled), "fetch a");
    tg.CreateTask(Fetch("b", unit, 2, &cancelled), "fetch b");
    tg.CreateTask(Fetch("c", unit, 3, &cancelled), "fetch c");
    lesson::Print("  body: three tasks created; the body ends here, the group waits");
    co_return;
  });
  f->group_ended_ms = Ms();
  lesson::Print("  the group ended at %d ms, after its last task", f->group_ended_ms);
}

coro::Task<void> OneFails(Duration unit, Figures* f) {
  try {
    co_await coro::WithTaskGroup([&](coro::TaskGroup& tg) -> coro::Task<void> {
      tg.CreateTask(Fetch("a", unit, 3, &f->cancelled_siblings), "fetch a");
      tg.CreateTask(FailingFetch("b", unit), "fetch b");
      tg.CreateTask(Fetch("c", unit, 3, &f->cancelled_siblings), "fetch c");
      try {
        co_await coro::Sleep(unit * 3);  // the body's own work
      } catch (const coro::CancelledError&) {
        lesson::Print("  body: cancelled by the group at %d ms", Ms());
        throw;
      }
    });
  } catch (const coro::TaskGroupError& group) {
    f->failure_ms = Ms();
    lesson::Print("  caught at %d ms: a TaskGroupError holding %d exception(s): %s",
                  f->failure_ms, static_cast<int>(group.exceptions().size()),
                  absl::StrJoin(group.messages(), "; "));
  }
}

coro::Task<void> TwoFail(Duration unit, Figures* f) {
  try {
    co_await coro::WithTaskGroup([&](coro::TaskGroup& tg) -> coro::Task<void> {
      tg.CreateTask(FailingFetch("x", unit), "fetch x");
      tg.CreateTask(FailingFetch("y", unit), "fetch y");
      co_return;
    });
  } catch (const coro::TaskGroupError& group) {
    f->reported_together = static_cast<int>(group.exceptions().size());
    lesson::Print("  caught at %d ms: a TaskGroupError holding %d exception(s): %s", Ms(),
                  f->reported_together, absl::StrJoin(group.messages(), "; "));
  }
}

coro::Task<void> UnderGather(Duration unit, Figures* f) {
  int cancelled = 0;
  std::vector<coro::Future<std::string>> fetches;
  fetches.push_back(coro::CreateTask(Fetch("a", unit, 3, &cancelled), "fetch a"));
  fetches.push_back(coro::CreateTask(FailingFetch("b", unit), "fetch b"));
  fetches.push_back(coro::CreateTask(Fetch("c", unit, 3, &cancelled), "fetch c"));
  try {
    co_await coro::Gather(fetches);
  } catch (const std::exception& e) {
    f->gather_threw_ms = Ms();
    lesson::Print("  gather raised at %d ms: %s; the others run on:", f->gather_threw_ms,
                  std::string(e.what()));
  }
  // Nobody else waits for them: without this they would run on after the function ended.
  std::vector<coro::Outcome<std::string>> outcomes =
      co_await coro::Gather(fetches, coro::kReturnExceptions);
  for (const coro::Outcome<std::string>& o : outcomes) f->finished_after_gather += o.ok();
  lesson::Print("  gather(return_exceptions=True) at %d ms: %d value(s), %d exception(s)", Ms(),
                f->finished_after_gather, 3 - f->finished_after_gather);
}

}  // namespace

int main(int argc, char** argv) {
  lesson::ParseFlags(argc, argv,
                     "asyncio.TaskGroup: no task outlives its group; the first failure cancels "
                     "the rest.");
  lesson::RequireInRange(FLAGS_fetch, absl::Milliseconds(20), absl::Seconds(5));
  const Duration unit = absl::ToChronoNanoseconds(absl::GetFlag(FLAGS_fetch));
  const int unit_ms = static_cast<int>(absl::ToInt64Milliseconds(absl::GetFlag(FLAGS_fetch)));

  lesson::Title("任务组（教程之外）", "Structured concurrency: TaskGroup (beyond the tutorial)");
  Figures f;

  lesson::Step("1. async with TaskGroup() as tg: fetches of 1, 2 and 3 units (a unit: %d ms)",
               unit_ms);
  part_clock.Reset();
  coro::Run(AllSucceed(unit, &f));

  lesson::Step("2. One fetch fails: the group cancels the others and the body");
  part_clock.Reset();
  coro::Run(OneFails(unit, &f));

  lesson::Step("3. Two fetches fail at the same moment");
  part_clock.Reset();
  coro::Run(TwoFail(unit, &f));

  lesson::Step("4. The failure of part 2 under gather() instead");
  part_clock.Reset();
  coro::Run(UnderGather(unit, &f));

  lesson::Notice({
      lesson::Format("The group ended at %d ms, when its slowest task did (3 units of %d ms): "
                     "no task outlives its group, so no task is forgotten.",
                     f.group_ended_ms, unit_ms),
      lesson::Format("When one fetch failed, the group cancelled its %d sibling(s) and the "
                     "body at once, waited for them to end, and raised at %d ms instead of "
                     "%d: the failure came out of the group as a TaskGroupError.",
                     f.cancelled_siblings, f.failure_ms, 3 * unit_ms),
      lesson::Format("Failures at the same moment come out together: %d in one TaskGroupError "
                     "(Python's ExceptionGroup, caught with except*).",
                     f.reported_together),
      lesson::Format("gather() raised the same failure at %d ms but cancelled nothing: %d "
                     "other fetch(es) ran to the end unattended. That is why Python 3.11 added "
                     "TaskGroup; gather(return_exceptions=True) collects every outcome instead.",
                     f.gather_threw_ms, f.finished_after_gather),
  });
  return 0;
}
