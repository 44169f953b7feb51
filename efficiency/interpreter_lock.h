// efficiency/interpreter_lock.h — an emulated global interpreter lock (全局解释锁), built
// like CPython's.
//
// CPython lets one thread at a time execute Python code: a thread must hold the GIL to
// run bytecode. A thread that wants it waits for the "switch interval" (5 ms by default,
// sys.getswitchinterval()); if in that time the lock did not change hands, it sets a
// "drop request". The running thread checks that request between bytecodes (the "eval
// breaker"); when it sees it, it releases the GIL, waits until another thread has taken
// it (FORCE_SWITCHING, so it cannot grab it straight back), then queues to take it again.
// Blocking calls (time.sleep, I/O) release the GIL while they block.
//
// EmulatedGil does exactly that with a std::mutex and condition variables, so C++
// threads can be made to run "like Python threads":
//
//   efficiency::EmulatedGil gil(std::chrono::milliseconds(5));
//   auto worker = [&] {
//     efficiency::EmulatedGil::Holder hold(gil);  // take the GIL (the thread starts)
//     for (...) {
//       gil.Checkpoint();                         // between two "bytecodes"
//       ...work...
//     }
//   };                                            // Holder's destructor releases it
//
// Guarantees:
// - At most one thread holds the lock at any time. This is instrumented: max_holders()
//   is the most threads ever seen between Acquire() and Release() at once (tests assert
//   it is 1), switches() counts hand-overs from one thread to another.
// - Everything a thread did while holding the lock happens-before whatever the next
//   holder does (the hand-over goes through the mutex). So data touched only under the
//   GIL is free of C++ data races, exactly as Python objects are safe from corruption
//   under the real GIL. That does not make `num += i` atomic: a switch between its read
//   and its write still loses updates (see //efficiency:gil).
// - Checkpoint() costs one relaxed atomic load when no other thread is waiting.
// - With --trace (common/trace.h), each turn a thread holds the lock is a span named
//   "holds the GIL" in state trace::kGil on that thread's row, and each wait for it a span
//   "waits for the GIL" in state trace::kLockWait, both recorded when they end (ph "X"),
//   so the timeline shows the threads taking turns. The hold spans of different threads
//   never overlap: one ends (timestamp taken) before the lock is let go, the next starts
//   after it was taken. Recording happens only at hand-overs, never in Checkpoint().
// - Short intervals cost at most about half the time. Between two hand-overs the holder
//   keeps running while the waiter wakes up, waits its interval and asks; only the moment
//   from a release to the next holder being awake is lost. However short the (positive)
//   interval, threads taking turns need at most about twice the time one thread would.
// - A switch interval of zero asks for a switch at every checkpoint while another thread
//   waits: threads then alternate strictly, one hand-over per checkpoint (used by tests to
//   force interleavings). That is not CPython, which refuses a zero interval: lessons
//   accept 1 us (CPython's smallest) and up.
//
// Thread safety: all methods may be called from any thread; Checkpoint() and Release()
// only by the holder. Not reentrant: a holder must not Acquire() again.
#ifndef EFFICIENCY_INTERPRETER_LOCK_H_
#define EFFICIENCY_INTERPRETER_LOCK_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "common/trace.h"

namespace efficiency {

class EmulatedGil {
 public:
  explicit EmulatedGil(std::chrono::nanoseconds switch_interval = std::chrono::milliseconds(5));
  EmulatedGil(const EmulatedGil&) = delete;
  EmulatedGil& operator=(const EmulatedGil&) = delete;

  // EmulatedGil::Acquire()
  //
  // Blocks until the calling thread holds the lock (CPython's take_gil). While it waits,
  // every switch interval in which the lock did not change hands, it sets the drop
  // request that makes the holder let go at its next Checkpoint().
  void Acquire();

  // EmulatedGil::Release()
  //
  // Lets go of the lock and wakes one waiting thread (CPython's drop_gil).
  void Release();

  // EmulatedGil::Checkpoint()
  //
  // The eval-breaker check a holder makes between two bytecodes: if another thread has
  // asked for the lock, hand it over and queue to get it back; else do nothing.
  void Checkpoint() {
    if (drop_request_.load(std::memory_order_relaxed)) [[unlikely]] SwitchAway();
  }

  // Holds the GIL for a scope (a thread running Python code).
  class Holder {
   public:
    explicit Holder(EmulatedGil& gil) : gil_(gil) { gil_.Acquire(); }
    ~Holder() { gil_.Release(); }
    Holder(const Holder&) = delete;
    Holder& operator=(const Holder&) = delete;

   private:
    EmulatedGil& gil_;
  };

  // Releases the GIL for a scope (Py_BEGIN_ALLOW_THREADS: around time.sleep or I/O) and
  // takes it back at the end. The caller must hold it.
  class Unlocked {
   public:
    explicit Unlocked(EmulatedGil& gil) : gil_(gil) { gil_.Release(); }
    ~Unlocked() { gil_.Acquire(); }
    Unlocked(const Unlocked&) = delete;
    Unlocked& operator=(const Unlocked&) = delete;

   private:
    EmulatedGil& gil_;
  };

  // Hand-overs from one thread to another so far.
  int64_t switches() const { return switches_.load(); }
  // The most threads ever holding the lock at once. 1 if the lock works (0 if unused).
  int max_holders() const { return max_holders_.load(); }
  std::chrono::nanoseconds switch_interval() const { return interval_; }
  // Threads waiting to (re)take the lock right now.
  int waiting();

 private:
  // Checkpoint() saw a drop request: release, wait until someone else has the lock (or
  // nobody else waits), then take it again.
  void SwitchAway();
  // With mu_ held through `lock` and the caller counted in waiting_: waits until the lock
  // is free (asking the holder to drop it as described in Acquire) and takes it.
  void WaitAndTake(std::unique_lock<std::mutex>& lock, double wait_start_us);
  // Records that the caller now holds the lock (instrumentation), and for the trace its
  // wait since `wait_start_us`.
  void Entered(double wait_start_us);
  // For the trace: the caller's turn holding the lock ends now.
  void Leaving();

  const std::chrono::nanoseconds interval_;
  std::mutex mu_;
  std::condition_variable released_;  // signalled when the lock is let go
  std::condition_variable switched_;  // signalled when it changes hands
  bool locked_ ABSL_GUARDED_BY(mu_) = false;
  std::thread::id holder_ ABSL_GUARDED_BY(mu_);  // the current, else the last, holder
  uint64_t hand_overs_ ABSL_GUARDED_BY(mu_) = 0;
  int waiting_ ABSL_GUARDED_BY(mu_) = 0;  // in Acquire(), or switched away and coming back
  std::atomic<bool> drop_request_{false};

  std::atomic<int> holders_{0};
  std::atomic<int> max_holders_{0};
  std::atomic<int64_t> switches_{0};
  // When the current holder took the lock (trace only). Touched only by the holder: the
  // hand-over through mu_ orders one holder's accesses before the next one's.
  double held_since_us_ = 0;
};

// SpinHoldingGil(gil, iterations, state)
//
// work.h's Spin() as a Python thread would run it: one Checkpoint() per iteration (the
// interpreter's eval-breaker check), same result as Spin(iterations, state). The caller
// must hold `gil`.
uint64_t SpinHoldingGil(EmulatedGil& gil, uint64_t iterations, uint64_t state);

// ComputeThenBlock(gil, rounds, iterations, block, state)
//
// A Python thread doing I/O-bound work: `rounds` times, compute (SpinHoldingGil for
// `iterations`) and then block for `block` (time.sleep, a read) with the GIL released, as
// CPython releases it around blocking calls. The caller must hold `gil`. Returns the final
// state: Spin(rounds x iterations, state). In the trace, each block is a span "blocked,
// GIL released" (trace::kSleep) between the thread's turns holding the GIL.
uint64_t ComputeThenBlock(EmulatedGil& gil, int rounds, uint64_t iterations,
                          std::chrono::nanoseconds block, uint64_t state);

// A threading.Lock under the GIL: a thread that has to wait for it releases the GIL
// while it waits (as CPython does), so the holder of this lock can run and let go of it.
// Without that, waiting for this lock while holding the GIL would deadlock.
class GilAwareMutex {
 public:
  explicit GilAwareMutex(EmulatedGil& gil) : gil_(gil) {}
  void lock() {
    if (mu_.try_lock()) return;
    gil_.Release();
    const double waiting_since = trace::Enabled() ? trace::NowMicros() : 0;
    mu_.lock();
    // Recorded after the fact, between this thread's turns with the GIL (spans nest).
    trace::Complete("waits for threading.Lock", trace::kLockWait, waiting_since,
                    trace::Enabled() ? trace::NowMicros() : 0);
    gil_.Acquire();
  }
  void unlock() { mu_.unlock(); }

 private:
  EmulatedGil& gil_;
  std::mutex mu_;
};

// Where a switch may fall in the tutorial's race (below).
enum class SwitchPoints {
  // Between any two steps, so also between the read of `num` and its write: CPython up
  // to 3.9, which checked the eval breaker before almost every bytecode.
  kEveryStep,
  // Only between whole statements: CPython 3.10 and later in the tutorial's loop, which
  // check only at the loop's back edge and at function calls.
  kBetweenStatements,
};

struct RaceResult {
  long num = 0;                     // the final value; 0 if no update was lost
  int64_t switches = 0;             // hand-overs of the GIL during the race
  int64_t switches_mid_update = 0;  // of those, how many fell between a read and its write
};

// RunTutorialRace(gil, threads, iterations, points, with_lock)
//
// The tutorial's lock example under the emulated GIL: `threads` threads each run
//
//   for i in range(iterations):
//       num += i          # read num, (maybe a switch), write num + i
//       num -= i          # read num, (maybe a switch), write num - i
//
// holding `gil` and calling its Checkpoint() where CPython would check for a switch
// (`points`). With `with_lock`, each iteration holds a GilAwareMutex (`with lock:`).
// `num` is a plain long touched only under the GIL: no C++ data race, yet updates are
// lost whenever a switch falls between a read and its write. The calling thread holds the
// GIL until all `threads` wait for it, so they start together. Must not hold `gil`.
// A thread that cannot be created (thread_errors.h: RLIMIT_NPROC) is an error value: the
// GIL is let go, the threads already started finish their loops and are joined.
absl::StatusOr<RaceResult> RunTutorialRace(EmulatedGil& gil, int threads, int64_t iterations,
                                           SwitchPoints points, bool with_lock);

}  // namespace efficiency

#endif  // EFFICIENCY_INTERPRETER_LOCK_H_
