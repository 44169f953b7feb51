// coroutine/gather.cc — 多协程程序 (several coroutines on one thread)
//
// Ports the tutorial's second asyncio program: three hello() coroutines, each printing its
// thread and sleeping one second, run by loop.run_until_complete(asyncio.wait(tasks)).
// All three say "Hello world!" first, then, about one second later (not three), all three
// say "Hello again!": while one is suspended in its sleep the loop runs the others. The
// thread is the same for all: concurrency without threads.
//
// In C++: asyncio.wait(tasks) is coro::Wait(std::move(tasks)) (coroutine/gather.h).
// threading.currentThread() becomes the kernel's thread id. The second part awaits the
// same three one after another, to show where the "not three seconds" comes from.
//
//   bazel run //coroutine:gather -- --coroutines=3 --sleep_ms=1000
#include <algorithm>
#include <chrono>
#include <set>
#include <vector>

#include "absl/flags/flag.h"
#include "common/flags.h"
#include "common/lesson.h"
#include "common/stopwatch.h"
#include "coroutine/coro/event_loop.h"
#include "coroutine/coro/gather.h"
#include "coroutine/coro/task.h"

ABSL_FLAG(int, coroutines, 3, "how many hello() coroutines run together");
ABSL_FLAG(int, sleep_ms, 1000, "how long each hello() sleeps, in milliseconds");
ABSL_FLAG(bool, sequential, true, "also run them one after another, for comparison");

namespace {

std::set<long> threads_seen;
int asleep_now = 0;
int asleep_most = 0;

coro::Task<void> Hello(std::chrono::milliseconds sleep) {
  threads_seen.insert(lesson::ThreadId());
  lesson::Print("Hello world! (thread %d)", lesson::ThreadId());
  asleep_most = std::max(asleep_most, ++asleep_now);
  co_await coro::Sleep(sleep);  // suspended: the loop runs the other coroutines
  --asleep_now;
  lesson::Print("Hello again! (thread %d)", lesson::ThreadId());
}

coro::Task<void> OneAfterAnother(int count, std::chrono::milliseconds sleep) {
  for (int i = 0; i < count; ++i) co_await Hello(sleep);  // each await waits for the end
}

}  // namespace

int main(int argc, char** argv) {
  lesson::ParseFlags(argc, argv, "Several hello() coroutines sleeping concurrently on one thread.");
  lesson::RequireInRange(FLAGS_coroutines, 1, 1000);
  lesson::RequireInRange(FLAGS_sleep_ms, 0, 5000);
  const int count = absl::GetFlag(FLAGS_coroutines);
  const std::chrono::milliseconds sleep(absl::GetFlag(FLAGS_sleep_ms));

  lesson::Title("多协程程序", "Several coroutines on one thread");
  lesson::Print("main thread: %d", lesson::ThreadId());

  lesson::Step("tasks = [hello(), hello(), hello()]; loop.run_until_complete(asyncio.wait(tasks))");
  coro::EventLoop loop;
  std::vector<coro::Task<void>> tasks;
  for (int i = 0; i < count; ++i) tasks.push_back(Hello(sleep));
  lesson::Stopwatch together;
  loop.RunUntilComplete(coro::Wait(std::move(tasks)));
  const double together_seconds = together.Seconds();
  lesson::Print("%d coroutines sleeping %.3f s each took %.3f s in all; %d were asleep at "
                "the same time; distinct thread ids: %d",
                count, sleep.count() / 1000.0, together_seconds, asleep_most,
                static_cast<int>(threads_seen.size()));

  if (absl::GetFlag(FLAGS_sequential)) {
    lesson::Step("The same, awaited one after another: for h in hellos: await h");
    asleep_most = 0;
    lesson::Stopwatch one_by_one;
    loop.RunUntilComplete(OneAfterAnother(count, sleep));
    lesson::Print("one after another: %.3f s (%d asleep at most at once)", one_by_one.Seconds(),
                  asleep_most);
  }
  loop.Close();

  lesson::Notice({
      "All the 'Hello world!' lines come first, then, one sleep later, all the "
      "'Hello again!': the sleeps overlapped, so the whole took about one sleep, not the sum.",
      "Every line shows the same thread id: one thread ran all of them, switching at "
      "co_await (the tutorial's 解释2).",
      "Awaiting them one after another takes the sum: concurrency comes from having "
      "several tasks on the loop, not from co_await itself.",
  });
  return 0;
}
