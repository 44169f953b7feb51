// coroutine/run.cc — run 方法 (asyncio.run versus a loop built by hand)
//
// Ports the tutorial's `run` section: since Python 3.7, asyncio.run(main())
// replaces building a loop, run_until_complete() and close(). main() gathers
// three hello()s and prints the tutorial's own lines. Then the part the
// tutorial leaves out: what run() does beyond the hand-built loop. asyncio.run
// always makes a new loop, refuses to start inside a running one, and when
// main() returns it cancels the tasks main left running and waits for them
// (then shuts down async generators and the default executor, and closes the
// loop). coro::Run does the same, but for the last two, which have no
// counterpart here. A hand-built loop is yours until you Close() it, and
// Close() destroys unfinished tasks without resuming them: their destructors
// run, their catch blocks do not.
//
// Where CPython 3.11 differs from the tutorial's output: the same lines (the
// number is threading.get_ident(); here, the kernel's thread id), plus a
// DeprecationWarning for currentThread() (deprecated since 3.10;
// current_thread() is the name), shown with -W default. And the tutorial's
// 多协程 program passed coroutines to asyncio.wait, which 3.11 refuses:
// "TypeError: Passing coroutines is forbidden, use tasks explicitly." (checked
// with 3.11.7); this section's gather() still takes them.
//
//   bazel run //coroutine:run
//   bazel run //coroutine:run -- --sleep=300ms --lang=zh
#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/time/time.h"
#include "common/flags.h"
#include "common/lesson.h"
#include "common/stopwatch.h"
#include "coroutine/coro/event_loop.h"
#include "coroutine/coro/gather_and_wait.h"
#include "coroutine/coro/task.h"

ABSL_FLAG(int, coroutines, 3, "how many hello() coroutines main() gathers (the tutorial: 3)");
ABSL_FLAG(absl::Duration, sleep, absl::Seconds(1),
          "how long each hello() sleeps, e.g. 1s or 300ms (the tutorial: 1s)");

namespace {

using Millis = std::chrono::milliseconds;
constexpr Millis kTick(300);  // the background task's period

// The tutorial's hello(), printing its lines exactly (the number is this
// thread's id).
coro::Task<void> Hello(const coro::Duration& sleep) {
  lesson::Tutorial("Hello world! (<_MainThread(MainThread, started %d)>)", lesson::ThreadId());
  co_await coro::Sleep(sleep);
  lesson::Tutorial("Hello again! (<_MainThread(MainThread, started %d)>)", lesson::ThreadId());
}

// main(): asyncio.gather(hello(), hello(), hello()).
coro::Task<void> Main(int count, coro::Duration sleep) {
  std::vector<coro::Task<void>> hellos;
  for (int i = 0; i < count; ++i) hellos.push_back(Hello(sleep));
  co_await coro::Gather(std::move(hellos));
}

// Says when it is destroyed: when the task holding it is cleaned up, however
// that happens.
struct Resource {
  ~Resource() { lesson::Print("  background: its local's destructor ran (resources released)"); }
};

// A task that would run for ever: it ticks every 300 ms. A CancelledError (from
// Run) is caught, reported and rethrown: that is where asyncio code cleans up.
coro::Task<void> Background() {
  Resource resource;
  int ticks = 0;
  try {
    for (;;) {
      co_await coro::Sleep(kTick);
      lesson::Print("  background: tick %d", ++ticks);
    }
  } catch (const coro::CancelledError&) {
    lesson::Print("  background: CancelledError at its sleep, after %d tick(s): cleaning up",
                  ticks);
    throw;
  }
}

// main() that starts a background task and returns without waiting for it.
coro::Task<void> MainWithBackground(coro::Duration sleep) {
  (void)coro::CreateTask(Background(), "background");
  co_await coro::Sleep(sleep);
  lesson::Print("  main: returns (the background task is still running)");
}

// Whatever else the program wants the loop for.
coro::Task<void> SomethingElse() { co_await coro::Sleep(Millis(700)); }

// asyncio.run() inside a running loop: RuntimeError in Python, refused here
// too.
coro::Task<void> RunInsideRun(std::string* refusal) {
  try {
    coro::Run(SomethingElse());
  } catch (const std::logic_error& e) {
    *refusal = e.what();
  }
  co_return;
}

double Seconds(const lesson::Stopwatch& watch) { return watch.Seconds(); }

}  // namespace

int main(int argc, char** argv) {
  lesson::ParseFlags(argc, argv, "asyncio.run(main()) versus a loop built and closed by hand.");
  lesson::RequireInRange(FLAGS_coroutines, 1, 1000);
  lesson::RequireInRange(FLAGS_sleep, absl::ZeroDuration(), absl::Seconds(5));
  const int count = absl::GetFlag(FLAGS_coroutines);
  const absl::Duration sleep_flag = absl::GetFlag(FLAGS_sleep);
  const coro::Duration sleep = absl::ToChronoNanoseconds(sleep_flag);
  const double sleep_s = absl::ToDoubleSeconds(sleep_flag);

  lesson::Title("run 方法", "asyncio.run(main()) versus a hand-built loop");

  lesson::Step(
      "1. asyncio.run(main()), main() = gather(hello(), hello(), hello()): the tutorial's program");
  lesson::Stopwatch watch;
  coro::Run(Main(count,
                 sleep));  // a new loop, main to the end, leftovers cancelled, closed
  const double run_s = Seconds(watch);
  lesson::Print("(%.3f s: the %d hello()s slept at the same time, on one thread)", run_s, count);

  lesson::Step(
      "2. The same by hand: loop = new_event_loop(); loop.run_until_complete(main()); "
      "loop.close()");
  watch.Reset();
  {
    coro::EventLoop loop;
    loop.RunUntilComplete(Main(count, sleep));
    loop.Close();
  }
  const double by_hand_s = Seconds(watch);
  lesson::Print("(%.3f s)", by_hand_s);

  lesson::Step("3. A task still running when main() returns: asyncio.run(main()) cancels it");
  watch.Reset();
  coro::Run(MainWithBackground(sleep));
  lesson::Print("(Run returned after %.3f s, once the background task had ended)", Seconds(watch));

  lesson::Step("4. By hand, the loop is yours until you close it");
  std::size_t left_at_close = 0;
  {
    coro::EventLoop loop;
    loop.RunUntilComplete(MainWithBackground(sleep));
    lesson::Print(
        "  run_until_complete(main()) returned; the loop still holds %d unfinished task(s)",
        static_cast<int>(loop.CountUnfinishedTasks()));
    lesson::Print("  running the loop 700 ms more, for something else:");
    loop.RunUntilComplete(SomethingElse());
    left_at_close = loop.Close();
    lesson::Print(
        "  loop.Close() found %d unfinished task(s) and destroyed them without resuming them",
        static_cast<int>(left_at_close));
  }

  lesson::Step("5. asyncio.run() inside a running loop");
  std::string refusal;
  coro::Run(RunInsideRun(&refusal));
  if (refusal.empty()) {
    lesson::Print("  coro::Run from inside a task was not refused: a bug in the library");
  } else {
    lesson::Print("  coro::Run from inside a task was refused: it threw std::logic_error");
  }
  lesson::Print(
      "  (Python 3.11: RuntimeError: asyncio.run() cannot be called from a running event loop)");

  const double ratio = sleep_s > 0 ? run_s / sleep_s : 0;
  std::vector<lesson::Text> points;
  if (sleep_s > 0 && ratio < 1.5 && by_hand_s / sleep_s < 1.5) {
    points.push_back(
        lesson::Format("Run and the hand-built loop printed the same lines in %.3f s and %.3f s, "
                       "each about one sleep of %.3f s, not %d: the %d hello()s waited together. "
                       "For a main() that leaves nothing behind, Run is new_event_loop + "
                       "run_until_complete + close.",
                       run_s, by_hand_s, sleep_s, count, count));
  } else {
    points.push_back(
        lesson::Format("Run took %.3f s and the hand-built loop %.3f s for hello()s sleeping %.3f "
                       "s each (with --sleep=0 there is nothing to overlap).",
                       run_s, by_hand_s, sleep_s));
  }
  points.push_back(
      lesson::Tr("What Run adds, as asyncio.run does: a fresh loop every time; a refusal inside a "
                 "running loop (part 5); and when main() returns, the tasks it left running are "
                 "cancelled and waited for (part 3: the background task caught CancelledError and "
                 "cleaned up) before the loop is closed."));
  points.push_back(
      lesson::Tr("What asyncio.run does besides, and coro::Run does not: shut down async "
                 "generators and the default thread-pool executor (neither exists here), install a "
                 "Ctrl-C handler that cancels main, and debug mode."));
  points.push_back(
      lesson::Format("Close() by hand destroyed %d unfinished task(s) without resuming them (part "
                     "4): the destructor ran, the catch block did not. asyncio's loop.close() does "
                     "less: such tasks stay pending, and the garbage collector warns \"Task was "
                     "destroyed but it is pending!\".",
                     static_cast<int>(left_at_close)));
  points.push_back(
      lesson::Tr("The tutorial's program with three coroutines passed them to asyncio.wait; Python "
                 "3.11 refuses that (TypeError: Passing coroutines is forbidden, use tasks "
                 "explicitly.). gather(), used here, still takes them. CPython 3.11 prints the "
                 "same hello lines, and with -W default warns that currentThread() is deprecated "
                 "(since 3.10; use current_thread())."));
  lesson::Notice(points);
  return 0;
}
