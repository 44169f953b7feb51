// thread/timer.cc — 延迟线程 (delayed threads: Timer)
//
// Ports 延迟线程: threading.Timer(5, run) is a thread that waits 5 s, then calls run();
// t1.start(); t1.join(); print('结束'). Here threading::Timer (cancellable_timer.h) does
// the same with a short default delay, and the lesson measures when run() really
// started. Then what the tutorial leaves out: a timer cancelled before it fires never
// runs, and one cancelled too late says so.
//
// How C++ differs: the standard library has no timer thread. A thread that calls
// std::this_thread::sleep_for cannot be cancelled; threading::Timer waits on a
// condition variable with a deadline instead, so Cancel() wakes it at once. (C++20's
// std::jthread + std::condition_variable_any::wait_for(lock, stop_token, ...) is the
// standard-only way to build the same thing.)
//
//   bazel run //thread:timer -- --delay=500ms
#include <atomic>
#include <chrono>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/time/time.h"
#include "common/flags.h"
#include "common/lesson.h"
#include "common/stopwatch.h"
#include "thread/cancellable_timer.h"
#include "thread/thread_registry.h"

ABSL_FLAG(absl::Duration, delay, absl::Milliseconds(500),
          "how long a timer waits before it runs its function");

int main(int argc, char** argv) {
  lesson::ParseFlags(argc, argv, "A thread that starts after a delay, and cancelling it.");
  lesson::RequireInRange(FLAGS_delay, absl::ZeroDuration(), absl::Seconds(10));
  const auto delay = absl::ToChronoNanoseconds(absl::GetFlag(FLAGS_delay));
  const double delay_ms = absl::ToDoubleMilliseconds(absl::GetFlag(FLAGS_delay));

  lesson::Title("延迟线程", "Delayed threads: Timer");

  lesson::Step("1. t1 = Timer(delay, run); t1.start(); t1.join(); print('结束')");
  {
    lesson::Stopwatch watch;
    threading::Timer t1(delay, [&watch] {
      lesson::Print("(%.0f ms after start)", watch.Seconds() * 1e3);
      lesson::Print("启动线程 (run starts, on %s)", threading::CurrentThread().name);
      lesson::Print("结束线程 (run ends)");
    });
    t1.Start();
    lesson::Print("started a %.0f ms timer; threads alive now: %d (main + the timer's)",
                  delay_ms, threading::ActiveCount());
    t1.Join();
    lesson::Print("结束 (main goes on after %.0f ms)", watch.Seconds() * 1e3);
  }

  lesson::Step("2. Cancel before it fires: it never runs");
  {
    std::atomic<bool> ran = false;
    lesson::Stopwatch watch;
    threading::Timer t2(delay, [&ran] { ran = true; });
    t2.Start();
    std::this_thread::sleep_for(delay / 2);
    const bool cancelled = t2.Cancel();
    lesson::Print("Cancel() at %.0f ms returned %s", watch.Seconds() * 1e3,
                  cancelled ? "true: the action will never run" : "false: too late");
    t2.Join();
    lesson::Print("Join() returned at %.0f ms: the cancelled timer's thread ended at once",
                  watch.Seconds() * 1e3);
    // Prove "never": wait past the moment it would have fired, then look.
    std::this_thread::sleep_for(delay);
    lesson::Print("at %.0f ms, well past the %.0f ms it was due: ran = %s, state = %s",
                  watch.Seconds() * 1e3, delay_ms, ran ? "true" : "false",
                  threading::TimerStateName(t2.state()));
  }

  lesson::Step("3. Cancel after it fired: too late, and Cancel() says so");
  {
    std::atomic<int> runs = 0;
    threading::Timer t3(std::chrono::milliseconds(0), [&runs] { ++runs; });
    t3.Start();
    t3.Join();
    const bool cancelled = t3.Cancel();
    lesson::Print("the action ran %d time(s); Cancel() afterwards returned %s", runs.load(),
                  cancelled ? "true" : "false");
  }

  lesson::Notice({
      "run() started after the delay, never before it: the timer waits on the steady "
      "clock, and a few ms late is normal (the OS has to wake the thread).",
      "While it waits, the timer is a live thread: the count was 2, as Python's "
      "active_count() would say.",
      "Cancel() before the delay woke the timer's thread at once and the action never "
      "ran; after it has run, Cancel() returns false. Python's cancel() returns nothing, "
      "so there you cannot tell which happened.",
  });
  return 0;
}
