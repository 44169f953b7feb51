// thread/barrier.cc — 凑线程 (gathering threads: barriers)
//
// Ports 凑线程: threading.Barrier(3) lets threads through three at a time. The tutorial
// starts 5 threads: three pass ("子线程数量达到3"), and the last two wait for a third
// that never comes, so the tutorial's program never ends. Here the barrier is a
// threading::TimedBarrier (timed_barrier.h): the two are released at a deadline and
// told so; then the same two are released by Abort() instead, Python's abort().
// Finally std::barrier and absl::Barrier, side by side, with a full group each.
// Every closing sentence is computed from what happened, for any --threads/--parties.
//
// How C++ differs: std::barrier (C++20) and absl::Barrier have no timeout and no abort:
// a missing party means waiting forever, exactly the tutorial's hang. std::barrier has
// arrive_and_drop() for a thread that leaves the group for good.
//
// Where CPython 3.11 differs from the tutorial (checked with 3.11.7, 30 runs): the program
// still never ends, but it never printed the tutorial's eight lines. The first count was
// never 1: the first activeCount() call also emits a DeprecationWarning, and meanwhile
// the next thread starts (with active_count(), which does not warn, the first count is 1
// in 18 of 30 runs); and in 20 of 30 runs two lines merged into one, because print()
// writes a line's text and its newline separately.
//
//   bazel run //thread:barrier -- --threads=5 --parties=3 --timeout=1s
//   bazel run //thread:barrier -- --trace=barrier.json    # who waited, and how long
#include <atomic>
#include <barrier>
#include <chrono>
#include <functional>
#include <semaphore>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/barrier.h"
#include "absl/time/time.h"
#include "common/flags.h"
#include "common/lesson.h"
#include "common/stopwatch.h"
#include "common/trace.h"
#include "thread/cancellable_timer.h"
#include "thread/thread_registry.h"
#include "thread/timed_barrier.h"

ABSL_FLAG(int, threads, 5, "how many threads arrive at the barrier");
ABSL_FLAG(int, parties, 3, "how many threads the barrier lets through together");
ABSL_FLAG(absl::Duration, timeout, absl::Seconds(1),
          "how long a thread that cannot make a group waits before it is released");

namespace {

using threading::BarrierResult;

struct Outcome {
  std::atomic<int> passed = 0, timed_out = 0, broken = 0;
};

// Starts `threads` threads one after another; each says how many child threads are
// alive (the tutorial's line), then waits at the barrier through `wait`. The next thread
// starts only once the previous one is about to wait, so arrivals happen in order.
// `after_last_arrival` runs on the main thread once all have arrived.
void ArriveInOrder(int threads, int parties, const std::function<BarrierResult()>& wait,
                   Outcome& outcome, const std::function<void()>& after_last_arrival = [] {}) {
  lesson::Stopwatch watch;
  std::binary_semaphore arrived(0);
  std::vector<threading::Thread> started;
  for (int i = 0; i < threads; ++i) {
    started.emplace_back("", [&] {
      const std::string me = threading::CurrentThread().name;
      lesson::Tutorial("[%s] 当前活动的子线程数量: %d", me, threading::ActiveCount() - 1);
      arrived.release();
      switch (wait()) {
        case BarrierResult::kPassed:
          ++outcome.passed;
          lesson::Tutorial("[%s] 子线程数量达到%d", me, parties);
          break;
        case BarrierResult::kTimedOut:
          ++outcome.timed_out;
          lesson::Print("[%s] released at its deadline (%.0f ms): no group came; it did NOT "
                        "pass",
                        me, watch.Seconds() * 1e3);
          break;
        case BarrierResult::kBroken:
          ++outcome.broken;
          lesson::Print("[%s] released: the barrier was aborted (%.0f ms); it did NOT pass", me,
                        watch.Seconds() * 1e3);
          break;
      }
    });
    arrived.acquire();
  }
  after_last_arrival();
}  // The threads join here.

}  // namespace

int main(int argc, char** argv) {
  lesson::ParseFlags(argc, argv, "Barrier(3) with 5 threads: three pass, two are released.");
  lesson::RequireInRange(FLAGS_threads, 1, 100);
  lesson::RequireInRange(FLAGS_parties, 1, 100);
  lesson::RequireInRange(FLAGS_timeout, absl::Milliseconds(1), absl::Seconds(10));
  const int threads = absl::GetFlag(FLAGS_threads);
  const int parties = absl::GetFlag(FLAGS_parties);
  const absl::Duration timeout_flag = absl::GetFlag(FLAGS_timeout);
  const auto timeout = absl::ToChronoNanoseconds(timeout_flag);
  const std::string timeout_text = absl::FormatDuration(timeout_flag);

  lesson::Title("凑线程", "Gathering threads: barriers");

  lesson::Step("1. Barrier(%d), %d threads; a thread that cannot make a group is released %s "
               "after it arrives",
               parties, threads, timeout_text);
  Outcome deadline;
  {
    threading::TimedBarrier barrier(parties);
    ArriveInOrder(threads, parties, [&] { return barrier.WaitFor(timeout); }, deadline);
  }
  lesson::Print("CPython 3.11.7 ran the tutorial's Barrier program 30 times: it never ended "
                "(stopped after 1.5 s each time) and never printed the tutorial's eight lines. "
                "The first count was never 1: the first activeCount() call also emits a "
                "DeprecationWarning, and meanwhile the next thread starts (with active_count() "
                "the first count is 1 in 18 of 30 runs). In 20 of 30 runs two lines merged into "
                "one: print() writes a line's text and its newline separately.");

  lesson::Step("2. The same, but main aborts the barrier %s after the last arrival (Python's "
               "abort())",
               timeout_text);
  Outcome aborted;
  bool abort_fired = false;
  {
    threading::TimedBarrier barrier(parties);
    // A threading::Timer (cancellable_timer.h) plays the main thread's impatience.
    threading::Timer abort_later(timeout, [&barrier] {
      lesson::Print("main: Abort()");
      barrier.Abort();
    }, "abort timer");
    ArriveInOrder(
        threads, parties, [&] { return barrier.Wait(); }, aborted,  // No deadline of their own.
        [&] {
          // If every thread found a group, nobody is waiting: no abort is needed.
          if (threads % parties != 0) abort_later.Start();
        });
    abort_fired = abort_later.Fired();
  }

  lesson::Step("3. std::barrier and absl::Barrier: a full group only (they cannot time out)");
  int phases = 0;
  {
    // std::barrier: reusable (one phase after another); the completion function runs
    // once per phase, on one of the threads, before any of them is released.
    std::barrier sync_point(parties, [&phases, parties]() noexcept {
      ++phases;
      lesson::Print("  std::barrier: phase %d complete: %d threads arrived", phases, parties);
    });
    std::vector<std::jthread> group;
    for (int i = 0; i < parties; ++i) {
      group.emplace_back([&sync_point, i] {
        trace::NameThread(absl::StrFormat("std::barrier %d", i + 1));
        for (int round = 0; round < 2; ++round) {
          trace::Span span("arrive_and_wait()", trace::kBarrier);
          sync_point.arrive_and_wait();
        }
      });
    }
  }
  {
    // absl::Barrier: one use only. Block() returns true for exactly one thread, which
    // is then responsible for deleting the barrier (hence new, not a local).
    auto* barrier = new absl::Barrier(parties);
    std::vector<std::jthread> group;
    for (int i = 0; i < parties; ++i) {
      group.emplace_back([barrier, parties, i] {
        trace::NameThread(absl::StrFormat("absl::Barrier %d", i + 1));
        bool last;
        {
          trace::Span span("Block()", trace::kBarrier);
          last = barrier->Block();
        }
        if (last) {
          lesson::Print("  absl::Barrier: all %d arrived; this thread deletes the barrier",
                        parties);
          delete barrier;
        }
      });
    }
  }

  const int groups = threads / parties;
  const int left_over = threads % parties;
  std::vector<lesson::Text> points;
  if (parties == 1) {
    points.push_back(lesson::Format(
        "Barrier(1) lets every thread through alone: all %d passed at once, nobody waited. A "
        "barrier only holds threads back when it needs more than one.",
        deadline.passed.load()));
  } else if (groups > 0) {
    points.push_back(lesson::Format(
        "%d group(s) of %d formed and passed together (%d of %d threads): in each group the "
        "last arrival released the others.",
        groups, parties, deadline.passed.load(), threads));
  } else {
    points.push_back(lesson::Format(
        "No group could form: Barrier(%d) needs %d threads and only %d came, so nobody passed.",
        parties, parties, threads));
  }
  if (left_over > 0) {
    points.push_back(lesson::Format(
        "%d thread(s) were left over and could never make a group. The tutorial's program "
        "hangs there forever; here they were released at their deadline in step 1 (%d) and by "
        "abort in step 2 (%d), and each knew it had NOT passed.",
        left_over, deadline.timed_out.load(), aborted.broken.load()));
    points.push_back(lesson::Tr(
        "A TimedBarrier timeout releases only the waiter whose time is up (unlike Python, "
        "where one timeout breaks the barrier for all); Abort() breaks it for everyone."));
  } else {
    points.push_back(lesson::Format(
        "Every thread found a group (%d is a multiple of %d): nobody was left waiting, so no "
        "deadline expired and main did not abort (the abort timer %s). Try --threads=%d to "
        "leave some over, as in the tutorial.",
        threads, parties,
        abort_fired ? lesson::Tr("fired anyway").str() : lesson::Tr("was never started").str(),
        threads + 1));
  }
  if (deadline.passed + deadline.timed_out != threads ||
      aborted.passed + aborted.broken != threads) {
    points.push_back(lesson::Tr("Some thread neither passed nor was released: that is a bug in "
                                "this lesson, please report it."));
  }
  points.push_back(lesson::Format(
      "std::barrier ran %d phases with the same %d threads: choose it for a fixed group that "
      "meets again and again (a completion step, arrive_and_drop() for a thread that leaves). "
      "absl::Barrier is a one-shot rendezvous. Neither can time out: when a party may never "
      "come, use a barrier with a deadline, like TimedBarrier.",
      phases, parties));
  points.push_back(lesson::Tr(
      "--trace=barrier.json shows each thread's wait at the barrier and the moment it was "
      "released: by its group, its deadline, or the abort."));
  lesson::Notice(points);
  return 0;
}
