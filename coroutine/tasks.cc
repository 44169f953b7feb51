// coroutine/tasks.cc — 方法详解 (create_task, ensure_future; wait versus gather)
//
// Ports the tutorial's 方法详解 section. A coroutine cannot run by itself: it must be
// wrapped in a task (a future) that the loop drives. Two ways to wrap it explicitly:
// loop.create_task(hello()) and asyncio.ensure_future(hello()) (which also accepts a
// future, and then returns it unchanged). Then the two ways to wait for many:
// asyncio.wait returns (done, pending) sets and never raises the tasks' exceptions;
// asyncio.gather returns the results in argument order and raises the first exception.
//
// In C++: EventLoop::CreateTask and coro::EnsureFuture return a coro::Future<T>;
// coro::Wait returns WaitResult{done, pending} (vectors in argument order, where asyncio
// has unordered sets); coro::Gather returns std::vector<T> (coroutine/coro/gather_and_wait.h).
//
// Where current Python differs: the tutorial's two programs (create_task, ensure_future)
// print the same two lines on CPython 3.11.7, with no warning; 3.12 and 3.13 add a
// DeprecationWarning at get_event_loop() and 3.14 raises there (see //coroutine:hello).
// And the tutorial's "asyncio.wait accepts a list of coroutines" is no longer true: 3.11
// raises TypeError for bare coroutines (3.9 and 3.10 warned). Both are printed beside the
// ported lines.
//
//   bazel run //coroutine:tasks -- --unit=200ms
#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "common/flags.h"
#include "common/lesson.h"
#include "common/stopwatch.h"
#include "coroutine/conclusions.h"
#include "coroutine/coro/event_loop.h"
#include "coroutine/coro/gather_and_wait.h"
#include "coroutine/coro/task.h"

ABSL_FLAG(absl::Duration, sleep, absl::Seconds(1), "how long hello() sleeps (the tutorial: 1s)");
ABSL_FLAG(absl::Duration, unit, absl::Milliseconds(200),
          "the time unit of the wait/gather demo: jobs A, B, C sleep 3, 1 and 2 units");

namespace {

using Duration = std::chrono::nanoseconds;

lesson::Stopwatch clock_for_lines;
coroutine::TasksFigures figures;  // what the run showed, for the closing points
std::vector<std::string>* finish_log = nullptr;  // where Job() notes that it finished

coro::Task<void> Hello(Duration sleep) {
  lesson::Tutorial("Hello world!");
  co_await coro::Sleep(sleep);
  lesson::Tutorial("Hello again!");
}

// Sleeps `units`, then returns its name (or throws it, for the failure demo).
coro::Task<std::string> Job(std::string name, int units, Duration unit, bool fail = false) {
  co_await coro::Sleep(unit * units);
  if (fail) {
    lesson::Print("  [%.2f s] job %s fails after %d unit(s): it throws", clock_for_lines.Seconds(),
                  name, units);
    throw std::runtime_error(name);
  }
  lesson::Print("  [%.2f s] job %s finished after %d unit(s)", clock_for_lines.Seconds(), name,
                units);
  if (finish_log != nullptr) finish_log->push_back(name);
  co_return name;
}

std::vector<coro::Task<std::string>> ThreeJobs(Duration unit) {
  std::vector<coro::Task<std::string>> jobs;
  jobs.push_back(Job("A", 3, unit));
  jobs.push_back(Job("B", 1, unit));
  jobs.push_back(Job("C", 2, unit));
  return jobs;
}

std::vector<std::string> Names(const std::vector<coro::Future<std::string>>& futures) {
  std::vector<std::string> names;
  for (const auto& f : futures) names.push_back(f.Result());
  return names;
}

coro::Task<void> WaitFirstThenAll(Duration unit) {
  clock_for_lines.Reset();
  coro::WaitResult<std::string> first =
      co_await coro::Wait(ThreeJobs(unit), coro::ReturnWhen::kFirstCompleted);
  figures.first_done = Names(first.done);
  figures.first_pending = static_cast<int>(first.pending.size());
  lesson::Print("wait(FIRST_COMPLETED) returned: done [%s], %d pending",
                absl::StrJoin(figures.first_done, ", "), figures.first_pending);
  coro::WaitResult<std::string> rest = co_await coro::Wait(first.pending);
  lesson::Print("wait(pending) returned: done [%s], %d pending",
                absl::StrJoin(Names(rest.done), ", "), static_cast<int>(rest.pending.size()));
}

coro::Task<void> GatherInOrder(Duration unit) {
  clock_for_lines.Reset();
  finish_log = &figures.finish_order;
  figures.gather_results = co_await coro::Gather(ThreeJobs(unit));
  finish_log = nullptr;
  lesson::Print("gather returned, in argument order: [%s]",
                absl::StrJoin(figures.gather_results, ", "));
}

coro::Task<void> WaitVersusGatherOnFailure(Duration unit) {
  std::vector<coro::Task<std::string>> jobs;
  clock_for_lines.Reset();
  jobs.push_back(Job("D", 2, unit));
  jobs.push_back(Job("E", 1, unit, /*fail=*/true));
  coro::WaitResult<std::string> w = co_await coro::Wait(std::move(jobs));
  for (const coro::Future<std::string>& f : w.done) {
    try {
      lesson::Print("wait: a done task returned %s", f.Result());
    } catch (const std::exception& e) {
      figures.wait_kept_exception = true;
      lesson::Print("wait: a done task holds an exception, from job %s (wait itself did not "
                    "throw)",
                    e.what());
    }
  }
  clock_for_lines.Reset();
  jobs.clear();
  jobs.push_back(Job("F", 2, unit));
  jobs.push_back(Job("G", 1, unit, /*fail=*/true));
  try {
    co_await coro::Gather(std::move(jobs));
  } catch (const std::exception& e) {
    figures.gather_threw = true;
    lesson::Print("gather threw at %.2f s: the exception of job %s", clock_for_lines.Seconds(),
                  e.what());
  }
  std::vector<std::string> finished_after;
  finish_log = &finished_after;
  co_await coro::Sleep(unit * 2);  // let job F finish: gather did not cancel it
  finish_log = nullptr;
  figures.sibling_finished_after = !finished_after.empty();
}

}  // namespace

int main(int argc, char** argv) {
  lesson::ParseFlags(argc, argv, "create_task, ensure_future; asyncio.wait versus asyncio.gather.");
  lesson::RequireInRange(FLAGS_sleep, absl::ZeroDuration(), absl::Seconds(5));
  lesson::RequireInRange(FLAGS_unit, absl::Milliseconds(1), absl::Seconds(2));
  const Duration sleep = absl::ToChronoNanoseconds(absl::GetFlag(FLAGS_sleep));
  const Duration unit = absl::ToChronoNanoseconds(absl::GetFlag(FLAGS_unit));

  lesson::Title("方法详解", "create_task, ensure_future; wait versus gather");

  lesson::Step("1. task = loop.create_task(hello()); loop.run_until_complete(task)");
  {
    coro::EventLoop loop;
    coro::Future<void> task = loop.CreateTask(Hello(sleep));
    lesson::Print("(created: done() = %s)", task.done() ? "true" : "false");
    loop.RunUntilComplete(task);
    lesson::Print("(after run_until_complete: done() = %s)", task.done() ? "true" : "false");
    loop.Close();
  }

  lesson::Step("2. task = asyncio.ensure_future(hello()); loop.run_until_complete(task)");
  {
    coro::EventLoop loop;
    coro::Future<void> task = coro::EnsureFuture(Hello(sleep));
    lesson::Print("(ensure_future of a future returns that same future: %s)",
                  coro::EnsureFuture(task) == task ? "true" : "false");
    loop.RunUntilComplete(task);
    loop.Close();
  }
  lesson::Print("(CPython 3.11.7 prints the same two lines for each of these programs, with no "
                "warning; 3.12 and 3.13 add a DeprecationWarning at get_event_loop(), and 3.14 "
                "raises RuntimeError there: see //coroutine:hello.)");

  coro::EventLoop loop;
  lesson::Step("3. asyncio.wait: (done, pending) sets; jobs A, B, C of 3, 1 and 2 units");
  lesson::Print("(The tutorial: wait accepts a list of coroutines. CPython 3.11 raises "
                "TypeError for them; pass tasks, e.g. [asyncio.create_task(c) for c in coros]. "
                "coro::Wait takes Tasks and wraps them, as Python 3.10 did.)");
  loop.RunUntilComplete(WaitFirstThenAll(unit));

  lesson::Step("4. asyncio.gather: the same three jobs; results in argument order");
  loop.RunUntilComplete(GatherInOrder(unit));

  lesson::Step("5. When a job fails: wait keeps the exception, gather raises it");
  loop.RunUntilComplete(WaitVersusGatherOnFailure(unit));
  loop.Close();
  lesson::Print("(CPython 3.11.7's asyncio, running the same jobs as tasks, prints the same "
                "order, returns the same results and raises at the same moment.)");

  lesson::Notice(coroutine::TasksConclusions(figures));
  return 0;
}
