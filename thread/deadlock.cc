// thread/deadlock.cc — 线程锁 (死锁): deadlock
//
// Ports the tutorial's 死锁 note ("a thread holds a lock and never releases it; the other
// threads wait for it endlessly") with the classic case: two threads, two locks, taken
// in opposite orders. t1 holds A and wants B; t2 holds B and wants A; neither can ever
// go on. Here each waits for its second lock with a timeout (std::timed_mutex::
// try_lock_for), so the hang is detected and explained instead of lasting forever. Then
// the fix: std::scoped_lock takes both locks as one step, in any order, without deadlock.
//
// How C++ differs: nothing detects a deadlock for you at run time: a std::mutex::lock()
// in a cycle simply never returns. A timeout is a cheap detector; it cannot tell a
// deadlock from a slow owner, only that a wait took too long.
//
//   bazel run //thread:deadlock -- --timeout=300ms --rounds=20000
#include <latch>
#include <mutex>
#include <string_view>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/time/time.h"
#include "common/flags.h"
#include "common/lesson.h"
#include "common/stopwatch.h"

ABSL_FLAG(absl::Duration, timeout, absl::Milliseconds(300),
          "how long a thread waits for its second lock before it calls it a deadlock");
ABSL_FLAG(int, rounds, 20000, "how many times each thread takes both locks in the fix");

namespace {

std::timed_mutex lock_a, lock_b;

// Takes `first`, waits until the other thread holds its first lock too, then tries
// `second` for at most `timeout`. Returns whether it got it. Two latches make the bad
// interleaving certain rather than likely: both hold one lock before either asks for
// the other, and neither lets go before both have given up.
bool TakeBothOrTimeOut(std::string_view me, std::timed_mutex& first, std::string_view first_name,
                       std::timed_mutex& second, std::string_view second_name,
                       std::latch& both_hold_one, std::latch& both_tried,
                       std::chrono::nanoseconds timeout) {
  std::unique_lock hold(first);
  lesson::Print("%s holds %s", me, first_name);
  both_hold_one.arrive_and_wait();
  lesson::Print("%s wants %s ...", me, second_name);
  lesson::Stopwatch waited;
  std::unique_lock attempt(second, std::defer_lock);
  const bool got = attempt.try_lock_for(timeout);
  if (got) {
    lesson::Print("%s got %s", me, second_name);
  } else {
    lesson::Print("%s gave up on %s after %.0f ms, still holding %s", me, second_name,
                  waited.Seconds() * 1e3, first_name);
  }
  both_tried.arrive_and_wait();
  return got;  // Releases what it holds: backing off is how the cycle breaks.
}

// The fix: both locks in one step. std::scoped_lock (std::lock underneath) never holds
// one while blocking on the other, so the order the caller names them in does not matter.
void TakeBothManyTimes(std::timed_mutex& x, std::timed_mutex& y, int rounds, long& count) {
  for (int i = 0; i < rounds; ++i) {
    std::scoped_lock both(x, y);
    ++count;  // Guarded: only this thread writes it; main reads it after join.
  }
}

}  // namespace

int main(int argc, char** argv) {
  lesson::ParseFlags(argc, argv, "Two threads, two locks, opposite order: detect and fix.");
  lesson::RequireInRange(FLAGS_timeout, absl::Milliseconds(10), absl::Seconds(10));
  lesson::RequireInRange(FLAGS_rounds, 1, 10'000'000);
  const auto timeout = absl::ToChronoNanoseconds(absl::GetFlag(FLAGS_timeout));
  const int rounds = absl::GetFlag(FLAGS_rounds);

  lesson::Title("线程锁 (死锁)", "Deadlock");

  lesson::Step("1. t1 takes A then B; t2 takes B then A");
  bool t1_got = false, t2_got = false;
  {
    std::latch both_hold_one(2), both_tried(2);
    std::jthread t1([&] {
      t1_got = TakeBothOrTimeOut("t1", lock_a, "A", lock_b, "B", both_hold_one, both_tried,
                                 timeout);
    });
    std::jthread t2([&] {
      t2_got = TakeBothOrTimeOut("t2", lock_b, "B", lock_a, "A", both_hold_one, both_tried,
                                 timeout);
    });
  }
  if (!t1_got && !t2_got) {
    lesson::Print("DEADLOCK detected: t1 held A waiting for B while t2 held B waiting for A.");
    lesson::Print("Each waited for the other; with plain lock() both would wait forever.");
  } else {
    lesson::Print("no deadlock this time (t1 %s, t2 %s)", t1_got ? "got both" : "gave up",
                  t2_got ? "got both" : "gave up");
  }

  lesson::Step("2. The fix: std::scoped_lock(A, B) in t1, std::scoped_lock(B, A) in t2");
  long t1_count = 0, t2_count = 0;
  lesson::Stopwatch watch;
  {
    std::jthread t1([&] { TakeBothManyTimes(lock_a, lock_b, rounds, t1_count); });
    std::jthread t2([&] { TakeBothManyTimes(lock_b, lock_a, rounds, t2_count); });
  }
  lesson::Print("t1 took both locks %d times, t2 %d times, in %.0f ms: no deadlock",
                t1_count, t2_count, watch.Seconds() * 1e3);

  lesson::Notice({
      "Step 1 deadlocks every run: latches make both threads hold their first lock "
      "before either asks for its second. Without them it would happen only sometimes, "
      "which is worse: a hang you cannot reproduce.",
      "try_lock_for turned an endless wait into a report; a timeout only says 'too long', "
      "so real programs also log who holds what.",
      "std::scoped_lock locks several mutexes as one step and avoids deadlock whatever "
      "the order. The other classic fix: every thread takes locks in one global order.",
      "The tutorial's other 死锁 (a thread never releases its lock) is why C++ uses RAII "
      "guards: std::lock_guard / std::scoped_lock unlock even on early return.",
  });
  return 0;
}
