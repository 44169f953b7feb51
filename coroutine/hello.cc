// coroutine/hello.cc — 单协程程序 (one coroutine on an event loop)
//
// Ports the tutorial's first asyncio program: hello() prints, awaits a one-second sleep,
// prints again; an event loop runs it to completion and is then closed. At the `await`
// the coroutine is suspended and control goes back to the loop, which has nothing else to
// do, so it waits (in epoll) until the sleep's timer is due and resumes hello() there.
//
// In C++: `async def` is a function returning coro::Task<void>; `await asyncio.sleep(1)`
// is `co_await coro::Sleep(1s)`; get_event_loop / run_until_complete / close are an
// EventLoop, RunUntilComplete and Close (coroutine/event_loop.h: read it, it is the lesson).
//
//   bazel run //coroutine:hello -- --sleep_ms=1000
#include <chrono>

#include "absl/flags/flag.h"
#include "common/flags.h"
#include "common/lesson.h"
#include "common/stopwatch.h"
#include "coroutine/coro/event_loop.h"
#include "coroutine/coro/task.h"

ABSL_FLAG(int, sleep_ms, 1000, "how long hello() sleeps, in milliseconds (the tutorial: 1 s)");

namespace {

lesson::Stopwatch since_start;

coro::Task<void> Hello(std::chrono::milliseconds sleep) {
  lesson::Print("Hello world!");
  co_await coro::Sleep(sleep);  // suspend: the loop takes over until the timer is due
  lesson::Print("Hello again!");
  lesson::Print("(%.3f s after the start)", since_start.Seconds());
}

}  // namespace

int main(int argc, char** argv) {
  lesson::ParseFlags(argc, argv, "One coroutine on an event loop: hello, sleep, hello again.");
  lesson::RequireInRange(FLAGS_sleep_ms, 0, 5000);
  const std::chrono::milliseconds sleep(absl::GetFlag(FLAGS_sleep_ms));

  lesson::Title("单协程程序", "One coroutine on an event loop");
  lesson::Step("loop = get_event_loop(); loop.run_until_complete(hello()); loop.close()");
  coro::EventLoop loop;                  // asyncio.get_event_loop()
  coro::Task<void> hello = Hello(sleep);
  lesson::Print("(hello() was called: it returned a Task and has printed nothing yet)");
  since_start.Reset();
  loop.RunUntilComplete(std::move(hello));  // wraps it in a task and runs the loop
  loop.Close();

  lesson::Notice({
      "Calling Hello() ran nothing: a coroutine only runs when a loop drives it "
      "(the tutorial: 协程不能直接运行, run_until_complete wraps it in a task).",
      "At co_await the coroutine gave control back to the loop; the loop, with nothing "
      "else to run, waited in epoll until the timer was due, then resumed it.",
      "The measured gap is the sleep plus a fraction of a millisecond of loop overhead.",
  });
  return 0;
}
