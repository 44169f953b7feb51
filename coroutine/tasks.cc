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
// has unordered sets); coro::Gather returns std::vector<T> (coroutine/gather.h).
//
//   bazel run //coroutine:tasks -- --unit_ms=200
#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_join.h"
#include "common/flags.h"
#include "common/lesson.h"
#include "common/stopwatch.h"
#include "coroutine/coro/event_loop.h"
#include "coroutine/coro/gather.h"
#include "coroutine/coro/task.h"

ABSL_FLAG(int, sleep_ms, 1000, "how long hello() sleeps (the tutorial: 1 s)");
ABSL_FLAG(int, unit_ms, 200, "the time unit of the wait/gather demo: tasks sleep 3, 1, 2 units");

namespace {

using std::chrono::milliseconds;

lesson::Stopwatch clock_for_lines;

coro::Task<void> Hello(milliseconds sleep) {
  lesson::Print("Hello world!");
  co_await coro::Sleep(sleep);
  lesson::Print("Hello again!");
}

// Sleeps `units`, then returns its name (or throws, for the exception demo).
coro::Task<std::string> Job(std::string name, int units, milliseconds unit, bool fail = false) {
  co_await coro::Sleep(unit * units);
  lesson::Print("  [%.2f s] %s finished%s", clock_for_lines.Seconds(), name,
                fail ? " by throwing" : "");
  if (fail) throw std::runtime_error(name + " failed");
  co_return name;
}

std::vector<coro::Task<std::string>> ThreeJobs(milliseconds unit) {
  std::vector<coro::Task<std::string>> jobs;
  jobs.push_back(Job("job A (3 units)", 3, unit));
  jobs.push_back(Job("job B (1 unit)", 1, unit));
  jobs.push_back(Job("job C (2 units)", 2, unit));
  return jobs;
}

std::string Names(const std::vector<coro::Future<std::string>>& futures) {
  std::vector<std::string> names;
  for (const auto& f : futures) names.push_back(f.done() ? f.Result() : "(running)");
  return "[" + absl::StrJoin(names, ", ") + "]";
}

coro::Task<void> WaitFirstThenAll(milliseconds unit) {
  clock_for_lines.Reset();
  coro::WaitResult<std::string> first =
      co_await coro::Wait(ThreeJobs(unit), coro::ReturnWhen::kFirstCompleted);
  lesson::Print("wait(FIRST_COMPLETED) returned: %d done %s, %d pending",
                static_cast<int>(first.done.size()), Names(first.done),
                static_cast<int>(first.pending.size()));
  coro::WaitResult<std::string> rest = co_await coro::Wait(first.pending);
  lesson::Print("wait(pending) returned: %d done %s, %d pending",
                static_cast<int>(rest.done.size()), Names(rest.done),
                static_cast<int>(rest.pending.size()));
}

coro::Task<void> GatherInOrder(milliseconds unit) {
  clock_for_lines.Reset();
  std::vector<std::string> results = co_await coro::Gather(ThreeJobs(unit));
  lesson::Print("gather returned, in argument order: [%s]", absl::StrJoin(results, ", "));
}

coro::Task<void> WaitVersusGatherOnFailure(milliseconds unit) {
  std::vector<coro::Task<std::string>> jobs;
  clock_for_lines.Reset();
  jobs.push_back(Job("job D", 2, unit));
  jobs.push_back(Job("job E", 1, unit, /*fail=*/true));
  coro::WaitResult<std::string> w = co_await coro::Wait(std::move(jobs));
  for (const coro::Future<std::string>& f : w.done) {
    try {
      lesson::Print("wait: a done task returned '%s'", f.Result());
    } catch (const std::exception& e) {
      lesson::Print("wait: a done task holds an exception: %s (wait itself did not throw)",
                    e.what());
    }
  }
  clock_for_lines.Reset();
  jobs.clear();
  jobs.push_back(Job("job F", 2, unit));
  jobs.push_back(Job("job G", 1, unit, /*fail=*/true));
  try {
    co_await coro::Gather(std::move(jobs));
  } catch (const std::exception& e) {
    lesson::Print("gather threw at %.2f s: %s", clock_for_lines.Seconds(), e.what());
  }
  co_await coro::Sleep(unit * 2);  // let job F finish: gather did not cancel it
}

}  // namespace

int main(int argc, char** argv) {
  lesson::ParseFlags(argc, argv, "create_task, ensure_future; asyncio.wait versus asyncio.gather.");
  lesson::RequireInRange(FLAGS_sleep_ms, 0, 5000);
  lesson::RequireInRange(FLAGS_unit_ms, 1, 2000);
  const milliseconds sleep(absl::GetFlag(FLAGS_sleep_ms));
  const milliseconds unit(absl::GetFlag(FLAGS_unit_ms));

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

  coro::EventLoop loop;
  lesson::Step("3. asyncio.wait: (done, pending) sets; three jobs of 3, 1 and 2 units");
  loop.RunUntilComplete(WaitFirstThenAll(unit));

  lesson::Step("4. asyncio.gather: the same three jobs; results in argument order");
  loop.RunUntilComplete(GatherInOrder(unit));

  lesson::Step("5. When a task fails: wait keeps the exception, gather throws it");
  loop.RunUntilComplete(WaitVersusGatherOnFailure(unit));
  loop.Close();

  lesson::Notice({
      "create_task and ensure_future both wrap the coroutine in a task the loop runs; "
      "ensure_future also takes a future and hands it back unchanged.",
      "wait(FIRST_COMPLETED) came back after 1 unit with B done and A, C pending; waiting "
      "on the pending ones collected the rest. wait never throws the tasks' exceptions.",
      "gather finished in the jobs' own order (B, C, A) but returned [A, B, C]: argument "
      "order. On failure it threw at once; the other job still finished afterwards.",
  });
  return 0;
}
