// coroutine/run.cc — run 方法 (asyncio.run versus a loop built by hand)
//
// Ports the tutorial's `run` section: since Python 3.7, asyncio.run(main()) replaces
// get_event_loop() + run_until_complete() + close(). main() gathers three hello()s, as in
// the tutorial. Then the part the tutorial leaves out: what happens to a task that is
// still running when main() returns. asyncio.run cancels it (throws CancelledError into
// it); coro::Run closes its loop, which destroys the task's frame and so runs the
// destructors of its locals, C++'s cleanup. A hand-built loop does the same only when
// you Close() it, and lets you keep running it until then.
//
//   bazel run //coroutine:run -- --sleep_ms=1000
#include <chrono>
#include <vector>

#include "absl/flags/flag.h"
#include "common/flags.h"
#include "common/lesson.h"
#include "common/stopwatch.h"
#include "coroutine/coro/event_loop.h"
#include "coroutine/coro/gather.h"
#include "coroutine/coro/task.h"

ABSL_FLAG(int, coroutines, 3, "how many hello() coroutines main() gathers");
ABSL_FLAG(int, sleep_ms, 1000, "how long each hello() sleeps, in milliseconds");

namespace {

using namespace std::chrono_literals;

coro::Task<void> Hello(std::chrono::milliseconds sleep) {
  lesson::Print("Hello world! (thread %d)", lesson::ThreadId());
  co_await coro::Sleep(sleep);
  lesson::Print("Hello again! (thread %d)", lesson::ThreadId());
}

// asyncio.gather(hello(), hello(), hello()): one task that ends when all of them have.
coro::Task<void> Main(int count, std::chrono::milliseconds sleep) {
  std::vector<coro::Task<void>> hellos;
  for (int i = 0; i < count; ++i) hellos.push_back(Hello(sleep));
  co_await coro::Gather(std::move(hellos));
}

// Says when it is destroyed, i.e. when the task holding it is cleaned up.
struct Resource {
  ~Resource() { lesson::Print("  background: destroyed, its resources released"); }
};

// A task that would run for ever: every 300 ms it ticks.
coro::Task<void> Background() {
  Resource resource;
  for (int tick = 1;; ++tick) {
    co_await coro::Sleep(300ms);
    lesson::Print("  background: tick %d", tick);
  }
}

// main() that starts a background task and returns without waiting for it.
coro::Task<void> MainWithBackground(std::chrono::milliseconds sleep) {
  (void)coro::CreateTask(Background());
  co_await coro::Sleep(sleep);
  lesson::Print("  main: done (the background task is still running)");
}

// Whatever else the program wants the loop for.
coro::Task<void> SomethingElse() { co_await coro::Sleep(700ms); }

}  // namespace

int main(int argc, char** argv) {
  lesson::ParseFlags(argc, argv, "asyncio.run(main()) versus a loop built and closed by hand.");
  lesson::RequireInRange(FLAGS_coroutines, 1, 1000);
  lesson::RequireInRange(FLAGS_sleep_ms, 0, 5000);
  const int count = absl::GetFlag(FLAGS_coroutines);
  const std::chrono::milliseconds sleep(absl::GetFlag(FLAGS_sleep_ms));

  lesson::Title("run 方法", "asyncio.run(main()) versus a hand-built loop");

  lesson::Step("asyncio.run(main()), main() = gather(hello(), hello(), hello())");
  lesson::Stopwatch watch;
  coro::Run(Main(count, sleep));  // new loop, run main to the end, close the loop
  lesson::Print("(%.3f s; coro::Run made a loop, ran main() and closed the loop)",
                watch.Seconds());

  lesson::Step("The same by hand: loop = get_event_loop(); run_until_complete(main()); close()");
  watch.Reset();
  {
    coro::EventLoop loop;
    loop.RunUntilComplete(Main(count, sleep));
    loop.Close();
  }
  lesson::Print("(%.3f s)", watch.Seconds());

  lesson::Step("A task still running when main() returns: asyncio.run(main())");
  watch.Reset();
  coro::Run(MainWithBackground(sleep));
  lesson::Print("(Run returned after %.3f s: it did not wait for the background task)",
                watch.Seconds());

  lesson::Step("The same by hand: the loop is yours until you close it");
  {
    coro::EventLoop loop;
    loop.RunUntilComplete(MainWithBackground(sleep));
    lesson::Print("  run_until_complete(main()) returned; the loop still holds %d unfinished "
                  "task(s)",
                  static_cast<int>(loop.CountUnfinishedTasks()));
    lesson::Print("  running the loop 700 ms more, for something else:");
    loop.RunUntilComplete(SomethingElse());
    std::size_t unfinished = loop.Close();
    lesson::Print("  loop.Close() found %d unfinished task(s) and destroyed them",
                  static_cast<int>(unfinished));
  }

  lesson::Notice({
      "Run() and the hand-built loop printed the same thing: Run is get_event_loop + "
      "run_until_complete + close in one call, with a fresh loop each time.",
      "Neither waits for tasks main() did not await. Closing the loop destroyed the "
      "background task's frame, so its local's destructor ran: nothing leaks. (asyncio.run "
      "instead cancels such tasks, raising CancelledError inside them.)",
      "By hand you choose when to close: the background task kept ticking while the loop "
      "ran on. Forgetting Close() is safe in C++: the loop's destructor closes it.",
  });
  return 0;
}
