// thread/barrier.cc — 凑线程 (gathering threads: barriers)
//
// Ports 凑线程: threading.Barrier(3) lets threads through three at a time. The tutorial
// starts 5 threads: three pass ("子线程数量达到3"), and the last two wait for a third
// that never comes, so the tutorial's program never ends. Here the barrier is a
// threading::TimedBarrier (timed_barrier.h): the two are released at a deadline and
// told so; then the same two are released by Abort() instead, Python's abort().
// Finally std::barrier and absl::Barrier, side by side, with a full group each.
//
// How C++ differs: std::barrier (C++20) and absl::Barrier have no timeout and no abort:
// a missing party means waiting forever, exactly the tutorial's hang. std::barrier has
// arrive_and_drop() for a thread that leaves the group for good.
//
//   bazel run //thread:barrier -- --threads=5 --parties=3 --timeout=1s
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
#include "thread/thread_registry.h"
#include "thread/timed_barrier.h"
#include "thread/cancellable_timer.h"

ABSL_FLAG(int, threads, 5, "how many threads arrive at the barrier");
ABSL_FLAG(int, parties, 3, "how many threads the barrier lets through together");
ABSL_FLAG(absl::Duration, timeout, absl::Seconds(1),
          "how long a thread that cannot make a group waits before it is released");

namespace {

using threading::BarrierResult;

// Starts `threads` threads one after another; each says how many child threads are
// alive (as the tutorial prints), then waits at the barrier through `wait`. The next
// thread starts only once the previous one is about to wait, so arrivals happen in
// order. `after_last_arrival` runs on the main thread once all have arrived.
void ArriveInOrder(int threads, const std::function<BarrierResult()>& wait,
                   const std::function<void()>& after_last_arrival = [] {}) {
  lesson::Stopwatch watch;
  std::binary_semaphore arrived(0);
  std::vector<threading::Thread> started;
  for (int i = 0; i < threads; ++i) {
    started.emplace_back("", [&] {
      const std::string me = threading::CurrentThread().name;
      lesson::Print("[%s] 当前活动的子线程数量: %d", me, threading::ActiveCount() - 1);
      arrived.release();
      switch (wait()) {
        case BarrierResult::kPassed:
          lesson::Print("[%s] 子线程数量达到%d: passed at %.0f ms", me,
                        absl::GetFlag(FLAGS_parties), watch.Seconds() * 1e3);
          break;
        case BarrierResult::kTimedOut:
          lesson::Print("[%s] released at the deadline (%.0f ms): no group came; it did "
                        "NOT pass", me, watch.Seconds() * 1e3);
          break;
        case BarrierResult::kBroken:
          lesson::Print("[%s] released: the barrier was aborted (%.0f ms); it did NOT pass",
                        me, watch.Seconds() * 1e3);
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
  const auto timeout = absl::ToChronoNanoseconds(absl::GetFlag(FLAGS_timeout));

  lesson::Title("凑线程", "Gathering threads: barriers");

  lesson::Step(absl::StrFormat(
      "1. Barrier(%d), %d threads, each released %s after it arrives if no group forms",
      parties, threads, absl::FormatDuration(absl::GetFlag(FLAGS_timeout))));
  {
    threading::TimedBarrier barrier(parties);
    ArriveInOrder(threads, [&] { return barrier.WaitFor(timeout); });
  }

  lesson::Step(absl::StrFormat(
      "2. The same, but main aborts the barrier %s after the last arrival (Python's abort())",
      absl::FormatDuration(absl::GetFlag(FLAGS_timeout))));
  {
    threading::TimedBarrier barrier(parties);
    // A threading::Timer (cancellable_timer.h) plays the main thread's impatience.
    threading::Timer abort_later(timeout, [&barrier] {
      lesson::Print("main: Abort()");
      barrier.Abort();
    });
    ArriveInOrder(
        threads, [&] { return barrier.Wait(); },  // No deadline of their own.
        [&] { abort_later.Start(); });
  }  // Had every thread passed, the timer would be cancelled here, never firing.

  lesson::Step("3. std::barrier and absl::Barrier: a full group only (they cannot time out)");
  {
    // std::barrier: reusable (one phase after another); the completion function runs
    // once per phase, on one of the threads, before any of them is released.
    int phase = 0;
    std::barrier sync_point(parties, [&phase]() noexcept {
      lesson::Print("  std::barrier: phase %d complete: 子线程数量达到%d", ++phase,
                    absl::GetFlag(FLAGS_parties));
    });
    std::vector<std::jthread> group;
    for (int i = 0; i < parties; ++i) {
      group.emplace_back([&sync_point] {
        for (int round = 0; round < 2; ++round) sync_point.arrive_and_wait();
      });
    }
  }
  {
    // absl::Barrier: one use only. Block() returns true for exactly one thread, which
    // is then responsible for deleting the barrier (hence new, not a local).
    auto* barrier = new absl::Barrier(parties);
    std::vector<std::jthread> group;
    for (int i = 0; i < parties; ++i) {
      group.emplace_back([barrier] {
        if (barrier->Block()) {
          lesson::Print("  absl::Barrier: all %d arrived; this thread deletes the barrier",
                        absl::GetFlag(FLAGS_parties));
          delete barrier;
        }
      });
    }
  }

  lesson::Notice({
      "The first groups of three passed together; the threads left over could never make "
      "a group. The tutorial's program hangs there forever; here they were released at "
      "the deadline (step 1) or by abort (step 2), and each knew it had NOT passed.",
      "A TimedBarrier timeout releases only the waiter whose time is up (unlike Python, "
      "where one timeout breaks the barrier for all); Abort() breaks it for everyone.",
      "std::barrier is the one to choose for a fixed group meeting again and again: "
      "phases, a completion step, arrive_and_drop() for a thread that leaves. "
      "absl::Barrier is a one-shot rendezvous. Neither can time out: when a party may "
      "never come, use a barrier with a deadline, like TimedBarrier.",
  });
  return 0;
}
