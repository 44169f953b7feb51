// coroutine/async_race.cc — 协程属性: "不需要锁机制"? (do coroutines need no lock?)
//
// The tutorial says coroutines need no lock, since they all run on one thread. That holds
// only while the code between reading shared state and writing it back has no `await`.
// Put an await there (any I/O) and other coroutines run in between: each reads the same
// old value and writes it back plus one, so updates are lost, on a single thread, with no
// data race at all (C++'s undefined behaviour needs two threads; this is a logic race).
// An async mutex (coroutine/coro/async_mutex.h, asyncio.Lock) fixes it: it suspends the
// coroutines that wait for it instead of blocking the thread.
//
// CPython 3.11.7's asyncio, running the same code (asyncio.sleep between the read and the
// write, asyncio.Lock for part 3), ends at the same counts: 100 of 400 without the lock, 400
// with it, at this lesson's defaults (checked; see README.md).
//
// The trace (--trace) gives each worker two rows: its task (running, sleeping in the
// await, waiting for the lock), and its read-await-writes, each as a span, with an instant
// for each lost update, where a worker writes back over a value another worker wrote after
// its read.
//
//   bazel run //coroutine:async_race -- --workers=4 --increments=100 --io=1ms
//   bazel run //coroutine:async_race -- --increments=3 --trace=/tmp/race.json
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "common/flags.h"
#include "common/lesson.h"
#include "common/stopwatch.h"
#include "common/trace.h"
#include "coroutine/conclusions.h"
#include "coroutine/coro/async_mutex.h"
#include "coroutine/coro/event_loop.h"
#include "coroutine/coro/gather_and_wait.h"
#include "coroutine/coro/task.h"

ABSL_FLAG(int, workers, 4, "coroutines incrementing the shared counter");
ABSL_FLAG(int, increments, 100, "increments per coroutine");
ABSL_FLAG(absl::Duration, io, absl::Milliseconds(1),
          "the simulated I/O between read and write (0: just yield to the loop)");

namespace {

using Duration = std::chrono::nanoseconds;

int counter = 0;
int last_writer = -1;                 // who wrote the counter last
std::vector<lesson::Text> steps;      // the first round, step by step
std::size_t steps_limit = 0;

void Note(lesson::Text what) {
  if (steps.size() < steps_limit) steps.push_back(std::move(what));
}

// counter += 1 with no await inside: atomic with respect to other coroutines.
coro::Task<void> IncrementNoAwait(int increments) {
  for (int i = 0; i < increments; ++i) {
    counter = counter + 1;
    co_await coro::Sleep(Duration(0));  // yield between increments, not inside one
  }
}

// Read, await (I/O), write: another coroutine may run at the await.
coro::Task<void> IncrementWithAwait(int worker, int increments, Duration io,
                                    coro::AsyncMutex* mutex) {
  // The library gives the task a row ("worker 0": running, sleeping in the await); this row
  // beside it shows the lesson's logic: each read-await-write, and the updates it loses.
  const uint64_t track = trace::NewId();
  const std::string name = absl::StrFormat("worker %d: read, await, write", worker);
  trace::AsyncBegin(name, trace::kTask, track);
  for (int i = 0; i < increments; ++i) {
    coro::AsyncMutex::Guard guard;
    if (mutex != nullptr) {
      trace::AsyncBegin("waiting for the AsyncMutex", trace::kLockWait, track);
      guard = co_await mutex->Lock();  // `async with lock:`
      trace::AsyncEnd("waiting for the AsyncMutex", trace::kLockWait, track);
    }
    trace::AsyncBegin("seen = counter; await io; counter = seen + 1", trace::kRun, track);
    const int seen = counter;
    Note(lesson::Format("worker %d reads  %d", worker, seen));
    trace::AsyncBegin("await io", trace::kIo, track);
    co_await coro::Sleep(io);  // e.g. a database round trip
    trace::AsyncEnd("await io", trace::kIo, track);
    if (counter != seen) {  // someone wrote after our read: our write erases theirs
      trace::AsyncInstant(absl::StrFormat("lost update: overwrites %d (worker %d's) with %d",
                                          counter, last_writer, seen + 1),
                          trace::kRun, track);
    }
    counter = seen + 1;
    last_writer = worker;
    Note(lesson::Format("worker %d writes %d", worker, seen + 1));
    trace::AsyncEnd("seen = counter; await io; counter = seen + 1", trace::kRun, track);
  }
  trace::AsyncEnd(name, trace::kTask, track);
}

coro::Task<void> RunAll(int workers, int increments, Duration io, coro::AsyncMutex* mutex,
                        bool await_inside) {
  std::vector<coro::Future<void>> tasks;
  for (int w = 0; w < workers; ++w) {
    tasks.push_back(coro::CreateTask(await_inside ? IncrementWithAwait(w, increments, io, mutex)
                                                  : IncrementNoAwait(increments),
                                     absl::StrFormat("worker %d", w)));
  }
  co_await coro::Gather(std::move(tasks));
}

// Runs one part from a zero counter; returns the counter and prints the result line.
int RunPart(coro::EventLoop& loop, int expected, double* seconds, coro::Task<void> part) {
  counter = 0;
  last_writer = -1;
  lesson::Stopwatch watch;
  loop.RunUntilComplete(std::move(part));
  *seconds = watch.Seconds();
  if (counter == expected) {
    lesson::Print("counter = %d, expected %d: no update lost (%.3f s)", counter, expected,
                  *seconds);
  } else {
    lesson::Print("counter = %d, expected %d: %d updates LOST (%.3f s)", counter, expected,
                  expected - counter, *seconds);
  }
  return counter;
}

}  // namespace

int main(int argc, char** argv) {
  lesson::ParseFlags(argc, argv, "Lost updates on one thread, and the async lock that fixes them.");
  lesson::RequireInRange(FLAGS_workers, 1, 1000);
  lesson::RequireInRange(FLAGS_increments, 1, 100000);
  lesson::RequireInRange(FLAGS_io, absl::ZeroDuration(), absl::Milliseconds(100));
  const int workers = absl::GetFlag(FLAGS_workers);
  const int increments = absl::GetFlag(FLAGS_increments);
  const absl::Duration io_flag = absl::GetFlag(FLAGS_io);
  const Duration io = absl::ToChronoNanoseconds(io_flag);
  const int expected = workers * increments;
  // Part 3 runs every read-await-write one after another: bound its waiting.
  if (io * expected > std::chrono::seconds(60)) {
    lesson::RejectFlag("increments", std::to_string(increments),
                       lesson::Format("with --workers=%d and --io=%s, part 3 would wait %s, one "
                                      "section after another; keep workers x increments x io "
                                      "under 60s",
                                      workers, absl::FormatDuration(io_flag),
                                      absl::FormatDuration(io_flag * expected)));
  }

  lesson::Title("协程属性：不需要锁？", "Do coroutines need no lock? A race on one thread");
  lesson::Print("%d coroutines each add 1 to a shared counter %d times, on thread %d", workers,
                increments, lesson::ThreadId());
  coro::EventLoop loop;
  coroutine::RaceFigures f{.workers = workers, .increments = increments,
                           .io_s = absl::ToDoubleSeconds(io_flag)};
  double unused_seconds = 0;

  lesson::Step("1. counter = counter + 1, no await inside: no lock needed (the tutorial is right)");
  f.no_await = RunPart(loop, expected, &unused_seconds,
                       RunAll(workers, increments, io, nullptr, /*await_inside=*/false));

  lesson::Step("2. seen = counter; await io(%s); counter = seen + 1: no lock",
               absl::FormatDuration(io_flag));
  steps.clear();
  steps_limit = std::min<std::size_t>(2 * workers + 2, 10);  // the first round, and a bit
  f.racing = RunPart(loop, expected, &f.racing_s,
                     RunAll(workers, increments, io, nullptr, /*await_inside=*/true));
  lesson::Print("the first steps, in the order the loop ran them:");
  for (const lesson::Text& line : steps) lesson::WriteLine("  " + line.str());

  lesson::Step("3. the same with an AsyncMutex held from the read to the write");
  steps_limit = 0;
  coro::AsyncMutex mutex;
  f.locked = RunPart(loop, expected, &f.locked_s,
                     RunAll(workers, increments, io, &mutex, /*await_inside=*/true));
  loop.Close();
  if (workers == 4 && increments == 100) {
    lesson::Print("(CPython 3.11.7's asyncio, running the same code with asyncio.sleep and "
                  "asyncio.Lock, ends at the same counts: 100 of 400 without the lock, 400 "
                  "with it.)");
  }

  lesson::Notice(coroutine::RaceConclusions(f));
  return 0;
}
