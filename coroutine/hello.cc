// coroutine/hello.cc — 单协程程序 (one coroutine on an event loop)
//
// Ports the tutorial's first asyncio program: hello() prints, awaits a one-second sleep,
// prints again; an event loop runs it to completion and is then closed. At the `await`
// the coroutine is suspended and control goes back to the loop, which has nothing else to
// do, so it waits (in epoll) until the sleep's timer is due and resumes hello() there.
//
// In C++: `async def` is a function returning coro::Task<void>; `await asyncio.sleep(1)`
// is `co_await coro::Sleep(1s)`; get_event_loop / run_until_complete / close are an
// EventLoop, RunUntilComplete and Close (coroutine/coro/event_loop.h: read it, it is the
// lesson). The lesson also maps the asyncio words the tutorial defines (event_loop,
// coroutine, task, future, async/await) to their C++ counterparts.
//
// Where current Python differs: asyncio.get_event_loop() outside a running loop. Checked
// by running the tutorial's program: 3.10.13 and 3.11.7 print the two lines and nothing
// else; 3.12.1 and 3.13.0 add "DeprecationWarning: There is no current event loop". By
// the release notes, 3.10.0-3.10.9 and 3.11.0-3.11.1 warned too, and 3.14 raises
// RuntimeError there. The lesson prints this beside the ported lines.
//
//   bazel run //coroutine:hello -- --sleep=1s
#include <chrono>

#include "absl/flags/flag.h"
#include "absl/time/time.h"
#include "common/flags.h"
#include "common/lesson.h"
#include "common/machine.h"
#include "common/stopwatch.h"
#include "coroutine/conclusions.h"
#include "coroutine/coro/event_loop.h"
#include "coroutine/coro/task.h"

ABSL_FLAG(absl::Duration, sleep, absl::Seconds(1), "how long hello() sleeps (the tutorial: 1s)");

namespace {

bool body_started = false;   // has Hello()'s body run yet?
lesson::Stopwatch since_hello;
double gap_seconds = 0;      // from "Hello world!" to "Hello again!"

coro::Task<void> Hello(std::chrono::nanoseconds sleep) {
  body_started = true;
  lesson::Tutorial("Hello world!");
  since_hello.Reset();
  co_await coro::Sleep(sleep);  // suspend: the loop takes over until the timer is due
  gap_seconds = since_hello.Seconds();
  lesson::Tutorial("Hello again!");
}

}  // namespace

int main(int argc, char** argv) {
  lesson::ParseFlags(argc, argv, "One coroutine on an event loop: hello, sleep, hello again.");
  lesson::RequireInRange(FLAGS_sleep, absl::ZeroDuration(), absl::Seconds(5));
  const absl::Duration sleep_flag = absl::GetFlag(FLAGS_sleep);
  const auto sleep = absl::ToChronoNanoseconds(sleep_flag);

  lesson::Title("单协程程序", "One coroutine on an event loop");
  lesson::Step("asyncio's words, in C++");
  lesson::Print("event_loop        coro::EventLoop: runs ready coroutines, timers and I/O waits");
  lesson::Print("coroutine         a function returning coro::Task<T>; calling it runs nothing");
  lesson::Print("task / future     coro::Future<T>, from CreateTask(): a coroutine the loop "
                "runs, and its result");
  lesson::Print("async / await     the Task<T> return type / co_await (suspends until ready)");

  lesson::Step("loop = get_event_loop(); loop.run_until_complete(hello()); loop.close()");
  coro::EventLoop loop;  // asyncio.get_event_loop()
  coro::Task<void> hello = Hello(sleep);
  const bool ran_before_loop = body_started;
  lesson::Print("(hello() was called: it returned a Task and has printed nothing yet)");
  loop.RunUntilComplete(std::move(hello));  // wraps it in a task and runs the loop
  loop.Close();
  lesson::Print("(%.3f s between the two lines; the tutorial: 1 s)", gap_seconds);
  lesson::Print("CPython 3.11.7 prints the same two lines and nothing else. "
                "asyncio.get_event_loop() with no loop running warned (DeprecationWarning) in "
                "3.10.0-3.10.9 and 3.11.0-3.11.1, warns again in 3.12 and 3.13 (\"There is no "
                "current event loop\", checked with 3.12.1 and 3.13.0), and raises RuntimeError "
                "from 3.14 on. asyncio.run(hello()) works in all of them.");

  lesson::Notice(coroutine::HelloConclusions({
      .ran_before_loop = ran_before_loop,
      .sleep_s = absl::ToDoubleSeconds(sleep_flag),
      .gap_s = gap_seconds,
      .load_average = lesson::LoadAverage(),
  }));
  return 0;
}
