// coroutine/cancel.cc — cancellation and timeouts (beyond the tutorial)
//
// The tutorial stops at gather and wait. The first thing a program that talks to the
// network needs next is a way to give up: cancel a task, or bound an await by a timeout.
// asyncio's answer, ported: task.cancel() raises CancelledError inside the task, at the
// await where it is suspended; the task's `finally`/`except` blocks run, and it may even
// catch the error and carry on. asyncio.shield() protects an inner task from a
// cancellation aimed at the one awaiting it; asyncio.wait_for() and asyncio.timeout()
// (new in Python 3.11) turn "too late" into TimeoutError after cancelling the work;
// asyncio.wait(..., timeout=) just returns what is done by then.
//
// In C++: Future::Cancel(), coro::CancelledError (deliberately not a std::exception, as
// CancelledError is a BaseException since Python 3.8), destructors for `finally`,
// coro::Shield, coro::WaitFor, coro::Timeout and coro::Wait(..., timeout). One C++
// difference shows: a catch block cannot co_await, so cleanup that needs to await runs
// after the catch block.
//
//   bazel run //coroutine:cancel
//   bazel run //coroutine:cancel -- --work=2s --timeout=500ms --trace=/tmp/cancel.json
#include <chrono>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/time/time.h"
#include "common/flags.h"
#include "common/lesson.h"
#include "common/stopwatch.h"
#include "coroutine/coro/event_loop.h"
#include "coroutine/coro/future.h"
#include "coroutine/coro/gather_and_wait.h"
#include "coroutine/coro/task.h"
#include "coroutine/coro/timeout.h"

ABSL_FLAG(absl::Duration, work, absl::Seconds(1),
          "how long the slow work would take if left alone, e.g. 1s");
ABSL_FLAG(absl::Duration, timeout, absl::Milliseconds(300),
          "when the lesson gives up on it (cancel, timeouts), e.g. 300ms");

namespace {

using coro::Duration;
constexpr int kChunks = 10;

// Milliseconds since `watch` started, for the lines the tasks print.
int Ms(const lesson::Stopwatch& watch) { return static_cast<int>(watch.Seconds() * 1000 + 0.5); }

lesson::Stopwatch part_clock;  // restarted by each part

// RAII: its destructor is C++'s `finally`.
struct Connection {
  bool download;  // whose connection: the download's, or the slow job's
  ~Connection() {
    if (download) {
      lesson::Print("  download: connection closed (destructor) at %d ms", Ms(part_clock));
    } else {
      lesson::Print("  slow job: connection closed (destructor) at %d ms", Ms(part_clock));
    }
  }
};

// --- 1. cancel() ------------------------------------------------------------------------
coro::Task<void> Download(Duration work) {
  Connection connection{/*download=*/true};
  int chunks = 0;
  try {
    while (chunks < kChunks) {
      co_await coro::Sleep(work / kChunks);  // waiting for the network
      ++chunks;
    }
    lesson::Print("  download: all %d chunks received", chunks);
  } catch (const coro::CancelledError&) {
    lesson::Print("  download: CancelledError at its sleep after %d of %d chunks, at %d ms: "
                  "cleaning up",
                  chunks, kChunks, Ms(part_clock));
    throw;  // the task ends cancelled
  }
}

struct Outcome1 {
  int requested_ms = 0;
  int ended_ms = 0;
  bool cancelled = false;
};

coro::Task<void> CancelADownload(Duration work, Duration timeout, Outcome1* out) {
  coro::Future<void> task = coro::CreateTask(Download(work), "download");
  co_await coro::Sleep(timeout);
  out->requested_ms = Ms(part_clock);
  const bool accepted = task.Cancel();
  lesson::Print("  main: task.cancel() at %d ms returned %s", out->requested_ms,
                accepted ? "true" : "false");
  try {
    co_await task;
    lesson::Print("  main: the download finished before the cancellation took effect");
  } catch (const coro::CancelledError&) {
    out->ended_ms = Ms(part_clock);
    out->cancelled = task.cancelled();
    lesson::Print("  main: awaiting it raised CancelledError at %d ms; task.cancelled() = %s",
                  out->ended_ms, out->cancelled ? "true" : "false");
  }
}

// --- 2. a task that catches the cancellation and carries on ------------------------------
coro::Task<std::string> Careful(Duration work) {
  try {
    co_await coro::Sleep(work);
    co_return "finished normally";
  } catch (const coro::CancelledError&) {
    lesson::Print("  careful: CancelledError at %d ms; finishing the current item first",
                  Ms(part_clock));
  }
  // After the catch block: C++ cannot co_await inside one.
  co_await coro::Sleep(std::chrono::milliseconds(50));
  co_return "finished the item, then returned";
}

coro::Task<bool> CancelACarefulTask(Duration work, Duration timeout) {
  coro::Future<std::string> task = coro::CreateTask(Careful(work), "careful");
  co_await coro::Sleep(timeout);
  task.Cancel();
  std::string result = co_await task;
  lesson::Print("  main: the task returned \"%s\" at %d ms; task.cancelled() = %s", result,
                Ms(part_clock), task.cancelled() ? "true" : "false");
  co_return !task.cancelled();
}

// --- 3. shield ------------------------------------------------------------------------
coro::Task<void> Save(Duration work) {
  co_await coro::Sleep(work);
  lesson::Print("  save: written to disk at %d ms", Ms(part_clock));
}

coro::Task<void> WaitForSave(coro::Future<void> save) {
  try {
    co_await coro::Shield(save);
  } catch (const coro::CancelledError&) {
    lesson::Print("  waiter: CancelledError at %d ms; the save goes on", Ms(part_clock));
    throw;
  }
}

coro::Task<bool> ShieldASave(Duration work, Duration timeout) {
  coro::Future<void> save = coro::CreateTask(Save(work), "save");
  coro::Future<void> waiter = coro::CreateTask(WaitForSave(save), "waiter");
  co_await coro::Sleep(timeout);
  waiter.Cancel();
  co_await save;
  co_return waiter.cancelled() && save.done() && !save.cancelled();
}

// --- 4. wait_for ------------------------------------------------------------------------
coro::Task<std::string> SlowJob(Duration work) {
  Connection connection{/*download=*/false};
  co_await coro::Sleep(work);
  co_return "the slow job's result";
}

coro::Task<int> WaitForASlowJob(Duration work, Duration timeout) {
  try {
    std::string result = co_await coro::WaitFor(SlowJob(work), timeout);
    lesson::Print("  main: wait_for returned \"%s\" at %d ms", result, Ms(part_clock));
  } catch (const coro::TimeoutError&) {
    lesson::Print("  main: wait_for raised TimeoutError at %d ms, after the job had ended",
                  Ms(part_clock));
    co_return Ms(part_clock);
  }
  co_return -1;
}

// --- 5. timeout scope ----------------------------------------------------------------------
coro::Task<void> TwoSteps(Duration first, Duration second) {
  co_await coro::Sleep(first);
  lesson::Print("  step one done at %d ms", Ms(part_clock));
  co_await coro::Sleep(second);
  lesson::Print("  step two done at %d ms", Ms(part_clock));
}

coro::Task<int> TimeoutAroundTwoSteps(Duration work, Duration timeout) {
  try {
    co_await coro::Timeout(timeout, TwoSteps(timeout / 2, work));
  } catch (const coro::TimeoutError&) {
    lesson::Print("  main: TimeoutError at %d ms", Ms(part_clock));
    co_return Ms(part_clock);
  }
  co_return -1;
}

// --- 6. wait with a timeout -----------------------------------------------------------------
coro::Task<int> Job(Duration d, int n) {
  co_await coro::Sleep(d);
  co_return n;
}

coro::Task<int> WaitWithTimeout(Duration work, Duration timeout) {
  std::vector<coro::Future<int>> jobs;
  for (int i = 1; i <= 4; ++i) jobs.push_back(coro::CreateTask(Job(work * i / 4, i)));
  coro::WaitResult<int> r =
      co_await coro::Wait(std::move(jobs), coro::ReturnWhen::kAllCompleted, timeout);
  lesson::Print("  main: wait returned at %d ms: %d done, %d pending (it raises nothing)",
                Ms(part_clock), static_cast<int>(r.done.size()), static_cast<int>(r.pending.size()));
  for (coro::Future<int>& f : r.pending) f.Cancel();  // we no longer want them
  co_await coro::Gather(std::move(r.pending), coro::kReturnExceptions);
  co_return static_cast<int>(r.done.size());
}

}  // namespace

int main(int argc, char** argv) {
  lesson::ParseFlags(argc, argv,
                     "Cancelling a task, shielding one, and timeouts: wait_for, timeout(), "
                     "wait(timeout=).");
  lesson::RequireInRange(FLAGS_work, absl::Milliseconds(50), absl::Seconds(10));
  lesson::RequireInRange(FLAGS_timeout, absl::Milliseconds(10), absl::Seconds(10));
  const Duration work = absl::ToChronoNanoseconds(absl::GetFlag(FLAGS_work));
  const Duration timeout = absl::ToChronoNanoseconds(absl::GetFlag(FLAGS_timeout));
  const int work_ms = static_cast<int>(absl::ToInt64Milliseconds(absl::GetFlag(FLAGS_work)));
  const int timeout_ms = static_cast<int>(absl::ToInt64Milliseconds(absl::GetFlag(FLAGS_timeout)));
  const bool gives_up = timeout < work;

  lesson::Title("取消与超时（教程之外）", "Cancellation and timeouts (beyond the tutorial)");
  lesson::Print("The slow work takes %d ms; the lesson gives up after %d ms.", work_ms,
                timeout_ms);

  lesson::Step("1. task.cancel(): a download is cancelled while it waits for the network");
  Outcome1 one;
  part_clock.Reset();
  coro::Run(CancelADownload(work, timeout, &one));

  lesson::Step("2. Cancellation is a request: a task may catch it and carry on");
  part_clock.Reset();
  const bool carried_on = coro::Run(CancelACarefulTask(work, timeout));

  lesson::Step("3. asyncio.shield(task): the waiter is cancelled, the shielded task goes on");
  part_clock.Reset();
  const bool shielded = coro::Run(ShieldASave(work, timeout));

  lesson::Step("4. asyncio.wait_for(slow_job(), timeout)");
  part_clock.Reset();
  const int wait_for_ms = coro::Run(WaitForASlowJob(work, timeout));

  lesson::Step("5. async with asyncio.timeout(t): one deadline for several awaits (Python 3.11)");
  part_clock.Reset();
  const int scope_ms = coro::Run(TimeoutAroundTwoSteps(work, timeout));

  lesson::Step("6. asyncio.wait(tasks, timeout=t): four jobs of 1/4, 2/4, 3/4 and 4/4 of the work");
  part_clock.Reset();
  const int done_by_timeout = coro::Run(WaitWithTimeout(work, timeout));

  std::vector<lesson::Text> points;
  if (one.cancelled) {
    points.push_back(lesson::Format(
        "cancel() does not stop a task on the spot: it was requested at %d ms and took effect "
        "at %d ms, on the loop's next iteration, as a CancelledError raised where the task was "
        "suspended. Its catch block and its destructor ran (asyncio: except and finally).",
        one.requested_ms, one.ended_ms));
  } else {
    points.push_back(lesson::Format(
        "This time the download (%d ms) ended before the cancellation at %d ms: cancel() on a "
        "finished task changes nothing. Use --timeout shorter than --work to see it cancelled.",
        work_ms, one.requested_ms));
  }
  if (carried_on) {
    points.push_back(lesson::Tr(
        "Cancellation is a request: the careful task caught CancelledError, finished its item "
        "and returned a value, so it did not end cancelled. Do that only to finish cleanly; "
        "a task that swallows cancellations cannot be stopped. A catch block cannot co_await in "
        "C++, so the awaiting cleanup came after it."));
  }
  if (shielded) {
    points.push_back(lesson::Tr(
        "shield(): the waiter got the CancelledError at once, while the save it was waiting "
        "for ran to the end: use it for work that must not be left half done."));
  }
  if (gives_up && wait_for_ms >= 0 && scope_ms >= 0) {
    points.push_back(lesson::Format(
        "wait_for and timeout() both raised TimeoutError (at %d and %d ms, for a timeout of "
        "%d ms), and only after cancelling the work and letting it end: the connection's "
        "destructor ran before the TimeoutError. wait_for runs the work as a task of its own; "
        "timeout() cancels the task it is in, so one deadline can cover several awaits.",
        wait_for_ms, scope_ms, timeout_ms));
  } else {
    points.push_back(lesson::Format(
        "With a timeout (%d ms) no shorter than the work (%d ms), wait_for returned the result "
        "and timeout() let both steps finish: nothing timed out.",
        timeout_ms, work_ms));
  }
  points.push_back(lesson::Format(
      "wait(timeout=) never raises: at the timeout %d of 4 jobs were done; the rest were "
      "pending, and cancelling them was up to us.",
      done_by_timeout));
  points.push_back(lesson::Tr(
      "CancelledError is not a std::exception here, as it is a BaseException in Python since "
      "3.8: catch (const std::exception&) does not swallow a cancellation by mistake. Catch it "
      "by name, clean up, rethrow."));
  lesson::Notice(points);
  return 0;
}
