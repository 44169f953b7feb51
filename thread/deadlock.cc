// thread/deadlock.cc — 线程锁 (死锁): deadlock
//
// Ports the tutorial's 死锁 note: "线程获得锁后，不释放锁，其他线程无休止的等待锁的释放"
// (a thread takes a lock and never releases it; the others wait for it endlessly).
// Step 1 is exactly that: t1 locks, then leaves by an early return that skips unlock(),
// and t2 waits for a lock nobody will ever release. Step 2 is the classic case: two
// threads, two locks, taken in opposite orders: t1 holds A and wants B; t2 holds B and
// wants A; neither can ever go on. Each waits with a timeout (std::timed_mutex::
// try_lock_for), so the hang is detected and explained instead of lasting forever. Step
// 3 is the fix for both: RAII guards release on every path, and std::scoped_lock takes
// several locks as one step, in any order, without deadlock.
//
// How C++ differs: nothing detects a deadlock for you at run time: a std::mutex::lock()
// in a cycle simply never returns. A timeout is a cheap detector; it cannot tell a
// deadlock from a slow owner, only that a wait took too long.
//
//   bazel run //thread:deadlock -- --timeout=300ms --rounds=20000
//   bazel run //thread:deadlock -- --trace=deadlock.json   # both threads waiting, drawn
#include <chrono>
#include <latch>
#include <mutex>
#include <string_view>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "common/flags.h"
#include "common/lesson.h"
#include "common/stopwatch.h"
#include "common/trace.h"

ABSL_FLAG(absl::Duration, timeout, absl::Milliseconds(300),
          "how long a thread waits for a lock before it calls it a deadlock");
ABSL_FLAG(int, rounds, 20000, "how many times each thread takes both locks in the fix");

namespace {

std::timed_mutex lock_a, lock_b;

// Step 1's bug: the early return leaves without unlock(). The lock stays taken for good.
bool UpdateWithForgottenUnlock(std::timed_mutex& lock, bool input_is_bad) {
  lock.lock();
  if (input_is_bad) return false;  // Forgot lock.unlock() on this path.
  lock.unlock();
  return true;
}

// Takes `first`, waits until the other thread holds its first lock too, then tries
// `second` for at most `timeout`. Returns whether it got it. Two latches make the bad
// interleaving certain rather than likely: both hold one lock before either asks for
// the other, and neither lets go before both have given up.
bool TakeBothOrTimeOut(std::string_view me, std::timed_mutex& first, std::string_view first_name,
                       std::timed_mutex& second, std::string_view second_name,
                       std::string_view other, std::latch& both_hold_one, std::latch& both_tried,
                       std::chrono::nanoseconds timeout) {
  trace::NameThread(me);
  std::unique_lock hold(first);
  trace::Span holding(absl::StrFormat("holds %s", first_name));
  lesson::Print("%s holds %s", me, first_name);
  both_hold_one.arrive_and_wait();
  lesson::Print("%s wants %s ...", me, second_name);
  lesson::Stopwatch waited;
  std::unique_lock attempt(second, std::defer_lock);
  bool got;
  {
    // On the timeline: each thread waiting for the lock the other one holds.
    trace::Span wait(absl::StrFormat("waiting for %s (held by %s)", second_name, other),
                     trace::kLockWait);
    got = attempt.try_lock_for(timeout);
  }
  if (got) {
    lesson::Print("%s got %s", me, second_name);
  } else {
    trace::Instant(absl::StrFormat("gives up on %s", second_name), trace::kLockWait);
    lesson::Print("%s gave up on %s after %.0f ms, still holding %s", me, second_name,
                  waited.Seconds() * 1e3, first_name);
  }
  both_tried.arrive_and_wait();
  return got;  // Releases what it holds: backing off is how the cycle breaks.
}

// The fix: both locks in one step. std::scoped_lock (std::lock underneath) never holds
// one while blocking on the other, so the order the caller names them in does not matter.
void TakeBothManyTimes(std::string_view me, std::timed_mutex& x, std::timed_mutex& y, int rounds,
                       long& count) {
  trace::NameThread(me);
  trace::Span span(absl::StrFormat("%d × std::scoped_lock", rounds));
  for (int i = 0; i < rounds; ++i) {
    std::scoped_lock both(x, y);
    ++count;  // Guarded: only this thread writes it; main reads it after join.
  }
}

}  // namespace

int main(int argc, char** argv) {
  lesson::ParseFlags(argc, argv, "A lock never released, two locks in opposite orders: detect and fix.");
  lesson::RequireInRange(FLAGS_timeout, absl::Milliseconds(10), absl::Seconds(10));
  lesson::RequireInRange(FLAGS_rounds, 1, 10'000'000);
  const auto timeout = absl::ToChronoNanoseconds(absl::GetFlag(FLAGS_timeout));
  const int rounds = absl::GetFlag(FLAGS_rounds);

  lesson::Title("线程锁（死锁）", "Deadlock");

  lesson::Step("1. 死锁 as the tutorial defines it: t1 takes the lock and never releases it");
  bool t2_got_it = true;
  double t2_waited_ms = 0;
  {
    // Never destroyed, on purpose: a mutex still locked can neither be unlocked by
    // another thread nor destroyed (both undefined behaviour), so the program keeps it.
    static std::timed_mutex& lock = *new std::timed_mutex;
    std::jthread t1([&] {
      trace::NameThread("t1");
      trace::Span span("update(bad input): lock(), return early");
      UpdateWithForgottenUnlock(lock, /*input_is_bad=*/true);
      lesson::Print("t1 took the lock and returned early, without unlock()");
    });
    t1.join();
    std::jthread t2([&] {
      trace::NameThread("t2");
      lesson::Print("t2 wants the lock ...");
      lesson::Stopwatch waited;
      {
        trace::Span wait("waiting for the lock t1 never released", trace::kLockWait);
        t2_got_it = lock.try_lock_for(timeout);
      }
      t2_waited_ms = waited.Seconds() * 1e3;
      if (t2_got_it) lock.unlock();
    });
  }
  if (!t2_got_it) {
    lesson::Print("t2 gave up after %.0f ms: t1 has ended, yet its lock is still taken, and "
                  "nobody can ever take it again",
                  t2_waited_ms);
  } else {
    lesson::Print("t2 got the lock after %.0f ms", t2_waited_ms);
  }

  lesson::Step("2. t1 takes A then B; t2 takes B then A");
  bool t1_got = false, t2_got = false;
  {
    std::latch both_hold_one(2), both_tried(2);
    std::jthread t1([&] {
      t1_got = TakeBothOrTimeOut("t1", lock_a, "A", lock_b, "B", "t2", both_hold_one, both_tried,
                                 timeout);
    });
    std::jthread t2([&] {
      t2_got = TakeBothOrTimeOut("t2", lock_b, "B", lock_a, "A", "t1", both_hold_one, both_tried,
                                 timeout);
    });
  }
  const bool deadlocked = !t1_got && !t2_got;
  if (deadlocked) {
    trace::Instant("DEADLOCK detected");
    lesson::Print("DEADLOCK detected: t1 held A waiting for B while t2 held B waiting for A.");
    lesson::Print("Each waited for the other; with plain lock() both would wait forever.");
  } else {
    lesson::Print("no deadlock this time (t1 %s, t2 %s)",
                  t1_got ? lesson::Tr("got both").str() : lesson::Tr("gave up").str(),
                  t2_got ? lesson::Tr("got both").str() : lesson::Tr("gave up").str());
  }

  lesson::Step("3. The fix: std::scoped_lock(A, B) in t1, std::scoped_lock(B, A) in t2");
  long t1_count = 0, t2_count = 0;
  lesson::Stopwatch watch;
  {
    std::jthread t1([&] { TakeBothManyTimes("t1", lock_a, lock_b, rounds, t1_count); });
    std::jthread t2([&] { TakeBothManyTimes("t2", lock_b, lock_a, rounds, t2_count); });
  }
  const double fix_ms = watch.Seconds() * 1e3;
  lesson::Print("t1 took both locks %d times, t2 %d times, in %.0f ms: no deadlock", t1_count,
                t2_count, fix_ms);

  std::vector<lesson::Text> points;
  points.push_back(
      !t2_got_it
          ? lesson::Format(
                "Step 1 is the tutorial's 死锁: a lock taken and never released. t2 waited %.0f "
                "ms for a lock whose owner had already ended. In C++ the cure is never to call "
                "unlock() by hand: std::lock_guard / std::unique_lock release on every path, "
                "early returns and exceptions included (RAII).",
                t2_waited_ms)
          : lesson::Tr("In step 1 t2 got the lock, which a forgotten unlock() should prevent: "
                       "that is a bug in this lesson, please report it."));
  points.push_back(
      deadlocked
          ? lesson::Tr("Step 2 deadlocked, as it does every run: latches make both threads hold "
                       "their first lock before either asks for its second. Without them it "
                       "would happen only sometimes, which is worse: a hang you cannot "
                       "reproduce. try_lock_for turned the endless wait into a report; a timeout "
                       "only says 'too long', so real programs also log who holds what.")
          : lesson::Tr("Step 2 did not deadlock this time: a thread got its second lock before "
                       "the other asked. The latches should prevent that: please report it."));
  points.push_back(lesson::Format(
      "std::scoped_lock took both locks %d times in each thread, in opposite orders, without "
      "a deadlock: it locks several mutexes as one step, whatever the order. The other "
      "classic fix: every thread takes locks in one global order.",
      rounds));
  points.push_back(lesson::Tr(
      "--trace=deadlock.json shows step 2 on a timeline: t1 and t2 each inside a span "
      "'holds A' / 'holds B', waiting at the same time for the lock the other holds."));
  lesson::Notice(points);
  return 0;
}
