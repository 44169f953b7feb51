// thread/lock.cc — 线程锁 (thread locks)
//
// Ports 线程锁: two threads each run `num += i; num -= i` for i in range(iterations).
// Without a lock some updates are lost and num ends far from 0; with a lock (std::mutex
// or absl::Mutex) or an atomic read-modify-write, num is always 0.
//
// How C++ differs: Python's threads take turns under the GIL, and still lose updates
// because `num += i` is several bytecodes. C++ threads run truly in parallel, so updates
// are lost far more often. And a plain `long` written by two threads without a lock is
// a data race: undefined behaviour, the compiler may assume it never happens. So the
// unlocked version here splits `num += i` into an atomic load and an atomic store
// (relaxed): no undefined behaviour, but another thread can still store in between, and
// that update is lost — the same phenomenon, well-defined. The real plain-`long` race is
// in lock_race_tsan.cc, where ThreadSanitizer catches it.
//
//   bazel run //thread:lock
//   bazel run //thread:lock -- --iterations=1000000 --runs=5 --lock=none
//   bazel run //thread:lock -- --interleave=forced     # one lost update, step by step
#include <algorithm>
#include <atomic>
#include <latch>
#include <mutex>
#include <semaphore>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "common/flags.h"
#include "common/lesson.h"
#include "common/stopwatch.h"

ABSL_FLAG(int64_t, iterations, 200000, "i runs over range(iterations) in each thread");
ABSL_FLAG(int, runs, 10, "how many times each version is run");
ABSL_FLAG(std::string, lock, "all",
          "which versions to run: all, none (no lock), std_mutex, absl_mutex or atomic");
ABSL_FLAG(std::string, interleave, "natural",
          "natural: let the threads race; forced: walk through one lost update step by step");

namespace {

// The shared `num`. Load() and Store() are each atomic, so there is no data race; but
// Store(Load() + i) is two steps, and a store another thread makes between them is
// overwritten: a lost update.
class Counter {
 public:
  long Load() const { return value_.load(std::memory_order_relaxed); }
  void Store(long value) { value_.store(value, std::memory_order_relaxed); }
  // One indivisible read-modify-write: no other store can come in between.
  void FetchAdd(long delta) { value_.fetch_add(delta, std::memory_order_relaxed); }

 private:
  std::atomic<long> value_{0};
};

std::mutex std_mutex;
absl::Mutex absl_mutex;

// The tutorial's run(), four ways.
void NoLock(Counter& num, long iterations) {
  for (long i = 0; i < iterations; ++i) {
    num.Store(num.Load() + i);  // num += i
    num.Store(num.Load() - i);  // num -= i
  }
}

void WithStdMutex(Counter& num, long iterations) {
  for (long i = 0; i < iterations; ++i) {
    std::lock_guard lock(std_mutex);  // `with lock:`
    num.Store(num.Load() + i);
    num.Store(num.Load() - i);
  }
}

void WithAbslMutex(Counter& num, long iterations) {
  for (long i = 0; i < iterations; ++i) {
    absl::MutexLock lock(&absl_mutex);
    num.Store(num.Load() + i);
    num.Store(num.Load() - i);
  }
}

void WithAtomic(Counter& num, long iterations) {
  for (long i = 0; i < iterations; ++i) {
    num.FetchAdd(i);
    num.FetchAdd(-i);
  }
}

struct RunResult {
  long final_num;
  double seconds;
};

// Starts t1 and t2 on `run`, lets them begin together, joins them, returns num.
RunResult RunTwoThreads(void (*run)(Counter&, long), long iterations) {
  Counter num;
  // Both threads wait here so that they really overlap; otherwise t1 might finish its
  // loop before t2 has even been created, and nothing would race.
  std::latch start_together(2);
  lesson::Stopwatch watch;
  {
    auto body = [&] {
      start_together.arrive_and_wait();
      run(num, iterations);
    };
    std::jthread t1(body), t2(body);
  }  // jthread joins here, like t1.join(); t2.join().
  return {num.Load(), watch.Seconds()};
}

void Compare(std::string_view title, void (*run)(Counter&, long), long iterations,
             int runs) {
  lesson::Step(title);
  std::vector<double> seconds;
  std::string finals;
  int lost = 0;
  for (int r = 0; r < runs; ++r) {
    RunResult result = RunTwoThreads(run, iterations);
    if (result.final_num != 0) ++lost;
    seconds.push_back(result.seconds);
    finals += absl::StrFormat("%s%d", finals.empty() ? "" : ", ", result.final_num);
  }
  std::sort(seconds.begin(), seconds.end());
  lesson::Print("final num per run:  %s", finals);
  lesson::Print("runs with lost updates: %d of %d", lost, runs);
  lesson::Print("median time per run: %.1f ms", seconds[seconds.size() / 2] * 1e3);
}

// One lost update, made to happen: t1 reads, t2 reads, t1 writes, t2 writes. Semaphores
// hand the turn from one step to the next, so the order is the same on every run.
void ForcedInterleaving() {
  lesson::Step("One lost update, step by step (t1 adds 1, t2 adds 2, num starts at 0)");
  Counter num;
  std::binary_semaphore t2_may_read(0), t1_may_write(0), t2_may_write(0);
  {
    std::jthread t1([&] {
      const long seen = num.Load();  // The first half of `num += 1`.
      lesson::Print("step 1  t1 reads  num -> %d", seen);
      t2_may_read.release();
      t1_may_write.acquire();
      num.Store(seen + 1);  // The second half, with the value read in step 1.
      lesson::Print("step 3  t1 writes num = %d + 1 = %d", seen, seen + 1);
      t2_may_write.release();
    });
    std::jthread t2([&] {
      t2_may_read.acquire();
      const long seen = num.Load();  // Reads before t1 has written: the same 0.
      lesson::Print("step 2  t2 reads  num -> %d", seen);
      t1_may_write.release();
      t2_may_write.acquire();
      num.Store(seen + 2);  // Overwrites t1's 1 with 0 + 2.
      lesson::Print("step 4  t2 writes num = %d + 2 = %d   (t1's write is overwritten)",
                    seen, seen + 2);
    });
  }
  lesson::Print("result: num = %d; expected 0 + 1 + 2 = 3: t1's update is lost", num.Load());
}

}  // namespace

int main(int argc, char** argv) {
  lesson::ParseFlags(argc, argv,
                     "Two threads run num += i; num -= i: lost updates without a lock, 0 "
                     "with one.");
  lesson::RequireInRange(FLAGS_iterations, 1, 100'000'000);
  lesson::RequireInRange(FLAGS_runs, 1, 1000);
  lesson::RequireOneOf(FLAGS_lock, {"all", "none", "std_mutex", "absl_mutex", "atomic"});
  lesson::RequireOneOf(FLAGS_interleave, {"natural", "forced"});
  const long iterations = absl::GetFlag(FLAGS_iterations);
  const int runs = absl::GetFlag(FLAGS_runs);

  lesson::Title("线程锁", "Thread locks");

  if (absl::GetFlag(FLAGS_interleave) == "forced") {
    ForcedInterleaving();
    lesson::Notice({
        "Each thread read num before the other wrote it; both wrote back 'what I read + "
        "mine', so the later write erased the earlier one.",
        "A lock makes read-and-write one step no other thread can enter; an atomic "
        "fetch_add does it in hardware.",
        "Without --interleave=forced the same thing happens by chance, many times a run.",
    });
    return 0;
  }

  lesson::Print("Two threads, each: for i in range(%d): num += i; num -= i", iterations);
  lesson::Print("Every run starts with num = 0; a correct program ends with num = 0.");
  const std::string which = absl::GetFlag(FLAGS_lock);
  auto wanted = [&which](std::string_view name) { return which == "all" || which == name; };
  if (wanted("none")) {
    Compare("1. No lock (load and store are separate steps)", NoLock, iterations, runs);
  }
  if (wanted("std_mutex")) {
    Compare("2. std::mutex (std::lock_guard, the `with lock:` of C++)", WithStdMutex,
            iterations, runs);
  }
  if (wanted("absl_mutex")) {
    Compare("3. absl::Mutex (absl::MutexLock)", WithAbslMutex, iterations, runs);
  }
  if (wanted("atomic")) {
    Compare("4. std::atomic fetch_add (no lock: one indivisible add)", WithAtomic,
            iterations, runs);
  }

  lesson::Notice({
      "Without a lock num ends wherever the lost updates leave it, different every run. "
      "C++ threads run at the same time on different cores, so they lose far more updates "
      "than Python's threads, which take turns under the GIL. On a busy machine the two "
      "threads may get one core between them: then updates are lost only when the OS "
      "switches threads between a load and its store, far less often.",
      "std::mutex and absl::Mutex both give 0 every time. Choose std::mutex for "
      "portable code with no dependency; absl::Mutex when you want its extras: "
      "Await(Condition), reader locks, and lock annotations checked by Clang.",
      "The atomic is also always 0, and needs no lock: use it for a single counter. "
      "A lock is for several values that must change together.",
      "The lock costs time: compare the medians. Correctness first, then measure.",
      "A plain `long` here would be a data race, undefined behaviour in C++; see "
      "//thread:lock_race_tsan, where ThreadSanitizer reports it.",
      "--interleave=forced walks through one lost update, step by step.",
  });
  return 0;
}
