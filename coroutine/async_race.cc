// coroutine/async_race.cc — 协程属性: "不需要锁机制"? (do coroutines need no lock?)
//
// The tutorial says coroutines need no lock, since they all run on one thread. That holds
// only while the code between reading shared state and writing it back has no `await`.
// Put an await there (any I/O) and other coroutines run in between: each reads the same
// old value and writes it back plus one, so updates are lost, on a single thread, with no
// data race at all (C++'s undefined behaviour needs two threads; this is a logic race).
// An async mutex (coroutine/async_mutex.h, asyncio.Lock) fixes it: it suspends the
// coroutines that wait for it instead of blocking the thread.
//
//   bazel run //coroutine:async_race -- --workers=4 --increments=100 --io_ms=1
#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_format.h"
#include "common/flags.h"
#include "common/lesson.h"
#include "common/stopwatch.h"
#include "coroutine/coro/async_mutex.h"
#include "coroutine/coro/event_loop.h"
#include "coroutine/coro/gather.h"
#include "coroutine/coro/task.h"

ABSL_FLAG(int, workers, 4, "coroutines incrementing the shared counter");
ABSL_FLAG(int, increments, 100, "increments per coroutine");
ABSL_FLAG(int, io_ms, 1, "the simulated I/O between read and write, in ms (0: just yield)");

namespace {

using std::chrono::milliseconds;

int counter = 0;
std::vector<std::string> trace;  // the first round, step by step
std::size_t trace_limit = 0;

void Note(const std::string& what) {
  if (trace.size() < trace_limit) trace.push_back(what);
}

// counter += 1 with no await inside: atomic with respect to other coroutines.
coro::Task<void> IncrementNoAwait(int increments) {
  for (int i = 0; i < increments; ++i) {
    counter = counter + 1;
    co_await coro::Sleep(milliseconds(0));  // yield between increments, not inside one
  }
}

// Read, await (I/O), write: another coroutine may run at the await.
coro::Task<void> IncrementWithAwait(int worker, int increments, milliseconds io,
                                    coro::AsyncMutex* mutex) {
  for (int i = 0; i < increments; ++i) {
    coro::AsyncMutex::Guard guard;
    if (mutex != nullptr) guard = co_await mutex->Lock();  // `async with lock:`
    int seen = counter;
    Note(absl::StrFormat("worker %d reads  %d", worker, seen));
    co_await coro::Sleep(io);  // e.g. a database round trip
    counter = seen + 1;
    Note(absl::StrFormat("worker %d writes %d", worker, seen + 1));
  }
}

coro::Task<void> RunAll(int workers, int increments, milliseconds io, coro::AsyncMutex* mutex,
                        bool await_inside) {
  std::vector<coro::Task<void>> tasks;
  for (int w = 0; w < workers; ++w) {
    tasks.push_back(await_inside ? IncrementWithAwait(w, increments, io, mutex)
                                 : IncrementNoAwait(increments));
  }
  co_await coro::Gather(std::move(tasks));
}

void Report(int expected, double seconds) {
  lesson::Print("counter = %d, expected %d: %s (%.3f s)", counter, expected,
                counter == expected
                    ? std::string("no update lost")
                    : absl::StrFormat("%d updates LOST", expected - counter),
                seconds);
}

}  // namespace

int main(int argc, char** argv) {
  lesson::ParseFlags(argc, argv, "Lost updates on one thread, and the async lock that fixes them.");
  lesson::RequireInRange(FLAGS_workers, 1, 1000);
  lesson::RequireInRange(FLAGS_increments, 1, 100000);
  lesson::RequireInRange(FLAGS_io_ms, 0, 100);
  const int workers = absl::GetFlag(FLAGS_workers);
  const int increments = absl::GetFlag(FLAGS_increments);
  const milliseconds io(absl::GetFlag(FLAGS_io_ms));
  const int expected = workers * increments;

  lesson::Title("协程属性: 不需要锁?", "Do coroutines need no lock? A race on one thread");
  lesson::Print("%d coroutines each add 1 to a shared counter %d times, on thread %d", workers,
                increments, lesson::ThreadId());
  coro::EventLoop loop;

  lesson::Step("1. counter = counter + 1, no await inside: no lock needed (the tutorial is right)");
  counter = 0;
  lesson::Stopwatch watch;
  loop.RunUntilComplete(RunAll(workers, increments, io, nullptr, /*await_inside=*/false));
  Report(expected, watch.Seconds());

  lesson::Step(absl::StrFormat(
      "2. seen = counter; await io(%d ms); counter = seen + 1: no lock", io.count()));
  counter = 0;
  trace.clear();
  trace_limit = std::min<std::size_t>(2 * workers + 2, 10);  // the first round, and a bit
  watch.Reset();
  loop.RunUntilComplete(RunAll(workers, increments, io, nullptr, /*await_inside=*/true));
  Report(expected, watch.Seconds());
  lesson::Print("the first steps, in the order the loop ran them:");
  for (const std::string& line : trace) lesson::Print("  %s", line);

  lesson::Step("3. the same with an AsyncMutex held from the read to the write");
  counter = 0;
  trace_limit = 0;
  coro::AsyncMutex mutex;
  watch.Reset();
  loop.RunUntilComplete(RunAll(workers, increments, io, &mutex, /*await_inside=*/true));
  Report(expected, watch.Seconds());
  loop.Close();

  lesson::Notice({
      "One thread, and still lost updates: every coroutine read the counter before any "
      "wrote it back, because each read was followed by an await. The trace shows it.",
      "The tutorial's 'no lock needed' is true only for code with no await between "
      "reading and writing shared state (part 1).",
      "The AsyncMutex keeps every update. The price: the read-await-write sections now run "
      "one at a time, so part 3 takes about workers x increments x io.",
      "This is not a C++ data race (no two threads touch the counter; ThreadSanitizer has "
      "nothing to report). It is a logic race, which no sanitizer can find.",
  });
  return 0;
}
