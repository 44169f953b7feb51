// thread/timer.cc — 延迟线程 (delayed threads: Timer)
//
// Ports 延迟线程: threading.Timer(5, run) is a thread that waits 5 s, then calls run();
// t1.start(); t1.join(); print('结束'). Here threading::Timer (cancellable_timer.h) does
// the same with a short default delay, and the lesson measures when run() really
// started. Then what the tutorial leaves out: a timer cancelled before it fires never
// runs, and one cancelled too late says so. CPython 3.11 prints the tutorial's three
// lines unchanged, after the 5 s (checked with 3.11.7).
//
// How C++ differs: the standard library has no timer thread. A thread that calls
// std::this_thread::sleep_for cannot be cancelled; threading::Timer waits on a
// condition variable with a deadline instead, so Cancel() wakes it at once. (C++20's
// std::jthread + std::condition_variable_any::wait_for(lock, stop_token, ...) is the
// standard-only way to build the same thing.)
//
//   bazel run //thread:timer -- --delay=500ms
//   bazel run //thread:timer -- --trace=timer.json    # the delay, the firing, the cancel
#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "common/flags.h"
#include "common/lesson.h"
#include "common/stopwatch.h"
#include "common/trace.h"
#include "thread/cancellable_timer.h"
#include "thread/thread_registry.h"

ABSL_FLAG(absl::Duration, delay, absl::Milliseconds(500),
          "how long a timer waits before it runs its function");

int main(int argc, char** argv) {
  lesson::ParseFlags(argc, argv, "A thread that starts after a delay, and cancelling it.");
  lesson::RequireInRange(FLAGS_delay, absl::ZeroDuration(), absl::Seconds(10));
  const auto delay = absl::ToChronoNanoseconds(absl::GetFlag(FLAGS_delay));
  const double delay_ms = absl::ToDoubleMilliseconds(absl::GetFlag(FLAGS_delay));
  const std::string delay_text = absl::FormatDuration(absl::GetFlag(FLAGS_delay));

  lesson::Title("延迟线程", "Delayed threads: Timer");

  lesson::Step("1. t1 = Timer(%s, run); t1.start(); t1.join(); print('结束')", delay_text);
  std::atomic<double> fired_ms = -1;
  int alive_while_waiting = 0;
  double main_went_on_ms = 0;
  {
    lesson::Stopwatch watch;
    threading::Timer t1(delay, [&] {
      fired_ms = watch.Seconds() * 1e3;
      lesson::Print("(%.1f ms after start(), on thread %s)", fired_ms.load(),
                    threading::CurrentThread().name);
      lesson::Tutorial("启动线程");
      lesson::Tutorial("结束线程");
    }, "t1");
    t1.Start();
    alive_while_waiting = threading::ActiveCount();
    lesson::Print("started a %s timer; threads alive now: %d (main + the timer's)", delay_text,
                  alive_while_waiting);
    {
      trace::Span join("t1.join()", trace::kJoin);
      t1.Join();
    }
    lesson::Tutorial("结束");
    main_went_on_ms = watch.Seconds() * 1e3;
    lesson::Print("(main went on after %.1f ms)", main_went_on_ms);
  }
  lesson::Print("CPython 3.11.7 prints the same three lines, 5 s after start() as the tutorial "
                "says.");

  lesson::Step("2. Cancel before it fires: it never runs");
  bool cancelled_in_time = false, ran_anyway = false;
  double cancel_at_ms = 0, join_at_ms = 0;
  std::string final_state;
  {
    std::atomic<bool> ran = false;
    lesson::Stopwatch watch;
    threading::Timer t2(delay, [&ran] { ran = true; }, "t2");
    t2.Start();
    std::this_thread::sleep_for(delay / 2);
    cancelled_in_time = t2.Cancel();
    cancel_at_ms = watch.Seconds() * 1e3;
    if (cancelled_in_time) {
      lesson::Print("Cancel() at %.0f ms returned true: the action will never run", cancel_at_ms);
    } else {
      lesson::Print("Cancel() at %.0f ms returned false: too late, the action has run",
                    cancel_at_ms);
    }
    t2.Join();
    join_at_ms = watch.Seconds() * 1e3;
    lesson::Print("Join() returned at %.0f ms", join_at_ms);
    // Prove "never": wait past the moment it would have fired, then look.
    std::this_thread::sleep_for(delay);
    ran_anyway = ran;
    final_state = threading::TimerStateName(t2.state());
    lesson::Print("at %.0f ms, past the %.0f ms it was due: ran = %s, state = %s",
                  watch.Seconds() * 1e3, delay_ms, ran_anyway ? "true" : "false", final_state);
  }

  lesson::Step("3. Cancel after it fired: too late, and Cancel() says so");
  int runs = 0;
  bool late_cancel = true;
  {
    std::atomic<int> counted = 0;
    threading::Timer t3(std::chrono::milliseconds(0), [&counted] { ++counted; }, "t3");
    t3.Start();
    t3.Join();
    late_cancel = t3.Cancel();
    runs = counted;
    lesson::Print("the action ran %d time(s); Cancel() afterwards returned %s", runs,
                  late_cancel ? "true" : "false");
  }

  std::vector<lesson::Text> points;
  if (fired_ms >= delay_ms) {
    points.push_back(lesson::Format(
        "run() started %.1f ms after start(), %.1f ms after the %s delay and never before it: "
        "the timer waits on the steady clock, and the OS needs a moment to wake its thread.",
        fired_ms.load(), fired_ms - delay_ms, delay_text));
  } else {
    points.push_back(lesson::Format(
        "run() started %.1f ms after start(), BEFORE the %s delay: that is a bug in this "
        "lesson, please report it.",
        fired_ms.load(), delay_text));
  }
  points.push_back(lesson::Format(
      "While it waited, the timer was a live thread: the count was %d, as Python's "
      "active_count() would say; main's join() returned after %.1f ms.",
      alive_while_waiting, main_went_on_ms));
  if (cancelled_in_time && !ran_anyway) {
    points.push_back(lesson::Format(
        "Cancel() at %.0f ms, before the timer fired, woke the timer's thread at once (Join() "
        "returned at %.0f ms) and the action never ran. Python's cancel() returns nothing, so "
        "there you cannot tell whether it came in time.",
        cancel_at_ms, join_at_ms));
  } else if (!cancelled_in_time) {
    points.push_back(lesson::Format(
        "With a %s delay, half of it was too short to cancel in time: the action ran before "
        "Cancel(), which returned false. Try a longer --delay.",
        delay_text));
  } else {
    points.push_back(lesson::Tr("Cancel() returned true, yet the action ran: that is a bug in "
                                "this lesson, please report it."));
  }
  points.push_back(runs == 1 && !late_cancel
                       ? lesson::Tr("After the action has run, Cancel() returns false: the "
                                    "caller knows it was too late.")
                       : lesson::Tr("The late Cancel() did not return false after one run: "
                                    "that is a bug in this lesson, please report it."));
  lesson::Notice(points);
  return 0;
}
