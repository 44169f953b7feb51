// coroutine/gather.cc — 多协程程序 (several coroutines on one thread)
//
// Ports the tutorial's second asyncio program: three hello() coroutines, each printing its
// thread and sleeping one second, run by loop.run_until_complete(asyncio.wait(tasks)).
// All three say "Hello world!" first, then, one sleep later (not three), all three say
// "Hello again!": while one is suspended in its sleep the loop runs the others. The
// thread is the same for all: concurrency without threads.
//
// In C++: asyncio.wait(tasks) is coro::Wait(std::move(tasks)) (coroutine/coro/gather_and_wait.h).
// threading.currentThread() prints Python's Thread object, whose number is the thread's
// `ident`: pthread_self(), printed here the same way, beside the kernel's thread id. The
// second part awaits the same coroutines one after another, to show where the "not three
// seconds" comes from.
//
// Where current Python differs: CPython 3.11 refuses this very program. asyncio.wait()
// with bare coroutines raises "TypeError: Passing coroutines is forbidden, use tasks
// explicitly." (checked with 3.11.7; 3.9 and 3.10 only warned, 3.7 and 3.8 accepted them),
// and threading.currentThread() is deprecated since 3.10 (DeprecationWarning; use
// current_thread()). The lesson says so beside the ported lines. coro::Wait still accepts
// Tasks (coroutines not yet started) and wraps them, as the tutorial's Python did.
//
//   bazel run //coroutine:gather
//   bazel run //coroutine:gather -- --coroutines=100 --sleep=200ms --nosequential
//   bazel run //coroutine:gather -- --trace=/tmp/gather.json   # three asleep at once
//
// In the trace each hello() is a task of its own (Task-2, Task-3, Task-4, named as asyncio
// names the tasks wait() makes; Task-1 is the wait itself), with its sleep: the library
// (coroutine/coro/event_loop.cc) records them.
#include <pthread.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "common/flags.h"
#include "common/lesson.h"
#include "common/machine.h"
#include "common/stopwatch.h"
#include "coroutine/conclusions.h"
#include "coroutine/coro/event_loop.h"
#include "coroutine/coro/gather_and_wait.h"
#include "coroutine/coro/task.h"

ABSL_FLAG(int, coroutines, 3, "how many hello() coroutines run together (the tutorial: 3)");
ABSL_FLAG(absl::Duration, sleep, absl::Seconds(1),
          "how long each hello() sleeps (the tutorial: 1s)");
ABSL_FLAG(bool, sequential, true, "also run them one after another, for comparison");

namespace {

std::set<long> threads_seen;
int asleep_now = 0;
int asleep_most = 0;
bool woke_one = false;      // has the first hello() of this round woken up?
lesson::Stopwatch round_clock;

// What Python's threading.current_thread() prints for the thread running this: the main
// thread, with its ident (pthread_self(), as CPython's threading.get_ident()).
std::string CurrentThreadRepr() {
  const auto ident = static_cast<uint64_t>(pthread_self());
  return lesson::ThreadId() == getpid()
             ? absl::StrFormat("<_MainThread(MainThread, started %d)>", ident)
             : absl::StrFormat("<Thread(Thread, started %d)>", ident);
}

coro::Task<void> Hello(std::chrono::nanoseconds sleep) {
  threads_seen.insert(lesson::ThreadId());
  lesson::Tutorial("Hello world! (%s)", CurrentThreadRepr());
  asleep_most = std::max(asleep_most, ++asleep_now);
  co_await coro::Sleep(sleep);  // suspended: the loop runs the other coroutines
  --asleep_now;
  if (!woke_one) {
    woke_one = true;
    lesson::Print("(%.3f s later; the tutorial: about 1 s)", round_clock.Seconds());
  }
  lesson::Tutorial("Hello again! (%s)", CurrentThreadRepr());
}

coro::Task<void> OneAfterAnother(int count, std::chrono::nanoseconds sleep) {
  woke_one = true;  // no "(... s later)" line here: the total below says it
  for (int i = 0; i < count; ++i) co_await Hello(sleep);  // each await waits for the end
}

}  // namespace

int main(int argc, char** argv) {
  lesson::ParseFlags(argc, argv, "Several hello() coroutines sleeping concurrently on one thread.");
  lesson::RequireInRange(FLAGS_coroutines, 1, 1000);
  lesson::RequireInRange(FLAGS_sleep, absl::ZeroDuration(), absl::Seconds(5));
  const int count = absl::GetFlag(FLAGS_coroutines);
  const absl::Duration sleep_flag = absl::GetFlag(FLAGS_sleep);
  const auto sleep = absl::ToChronoNanoseconds(sleep_flag);
  const double sleep_s = absl::ToDoubleSeconds(sleep_flag);
  // One after another, the sleeps add up: bound them.
  if (absl::GetFlag(FLAGS_sequential) && sleep_flag * count > absl::Seconds(60)) {
    lesson::RejectFlag("coroutines", std::to_string(count),
                       lesson::Format("with --sleep=%s, awaiting them one after another would "
                                      "take %s; keep coroutines x sleep under 60s, or add "
                                      "--nosequential",
                                      absl::FormatDuration(sleep_flag),
                                      absl::FormatDuration(sleep_flag * count)));
  }

  lesson::Title("多协程程序", "Several coroutines on one thread");
  lesson::Print("threading.current_thread() here is %s: its ident is pthread_self(); the "
                "kernel's id for this thread (its native_id, what top -H shows) is %d",
                CurrentThreadRepr(), lesson::ThreadId());

  lesson::Step("tasks = [hello(), hello(), hello()]; loop.run_until_complete(asyncio.wait(tasks))");
  lesson::Print("(CPython 3.11 refuses this line: \"TypeError: Passing coroutines is forbidden, "
                "use tasks explicitly.\" Checked with 3.11.7; 3.7 to 3.10 print what follows, 3.9 "
                "and 3.10 with a DeprecationWarning that is hidden unless warnings are on. "
                "threading.currentThread() warns since 3.10: use current_thread().)");
  coro::EventLoop loop;
  std::vector<coro::Task<void>> tasks;
  for (int i = 0; i < count; ++i) tasks.push_back(Hello(sleep));
  lesson::Stopwatch together;
  round_clock.Reset();
  loop.RunUntilComplete(coro::Wait(std::move(tasks)));
  const double together_s = together.Seconds();
  lesson::Print("%d coroutines, each sleeping %.3f s, took %.3f s in all; asleep at the same "
                "time, at most: %d; threads that ran them: %d",
                count, sleep_s, together_s, asleep_most, static_cast<int>(threads_seen.size()));
  const int together_most = asleep_most;

  std::optional<double> one_by_one_s;
  if (absl::GetFlag(FLAGS_sequential)) {
    lesson::Step("The same, awaited one after another: for h in hellos: await h");
    asleep_most = 0;
    lesson::Stopwatch one_by_one;
    loop.RunUntilComplete(OneAfterAnother(count, sleep));
    one_by_one_s = one_by_one.Seconds();
    lesson::Print("one after another: %.3f s (asleep at the same time, at most: %d)",
                  *one_by_one_s, asleep_most);
  }
  loop.Close();

  lesson::Notice(coroutine::GatherConclusions({
      .coroutines = count,
      .sleep_s = sleep_s,
      .together_s = together_s,
      .asleep_most = together_most,
      .threads = static_cast<int>(threads_seen.size()),
      .one_by_one_s = one_by_one_s,
      .load_average = lesson::LoadAverage(),
  }));
  return 0;
}
