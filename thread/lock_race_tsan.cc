// thread/lock_race_tsan.cc — 线程锁 (thread locks): the real data race, caught by
// ThreadSanitizer.
//
// The tutorial's unlocked program with a plain `long num`. In C++ two threads writing
// the same plain variable without synchronisation is a data race: undefined behaviour,
// not just a wrong number (the compiler may keep num in a register, merge or drop the
// updates). //thread:lock therefore shows lost updates with atomic loads and stores;
// this program keeps the plain variable and is built with -fsanitize=thread, so
// ThreadSanitizer watches every access and reports the race. With --lock, a std::mutex
// guards num and TSan has nothing to report.
//
// Undefined behaviour is not theory: built with -O1, g++ turns each unlocked
// `num += i; num -= i` into nothing at all (it may assume no other thread touches num),
// so there is no race left to see. BUILD compiles this file with -O0 to keep it as written.
//
//   bazel run //thread:lock_race_tsan            # TSan prints "WARNING: ... data race"
//   bazel run //thread:lock_race_tsan -- --lock  # no report
#include <mutex>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/strings/str_format.h"
#include "common/flags.h"
#include "common/lesson.h"
#include "common/trace.h"

ABSL_FLAG(bool, lock, false, "guard num with a std::mutex (then there is no race)");
ABSL_FLAG(int64_t, iterations, 10000, "i runs over range(iterations) in each thread");

namespace {

long num = 0;  // Plain, on purpose: the race is the point of this program.
std::mutex num_mutex;

void Run(long iterations, bool use_lock) {
  for (long i = 0; i < iterations; ++i) {
    if (use_lock) {
      std::lock_guard lock(num_mutex);
      num += i;
      num -= i;
    } else {
      num += i;  // Data race: the other thread reads and writes num at the same time.
      num -= i;
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  lesson::ParseFlags(argc, argv,
                     "The plain-long race of the lock lesson, under ThreadSanitizer.");
  lesson::RequireInRange(FLAGS_iterations, 1, 10'000'000);
  const long iterations = absl::GetFlag(FLAGS_iterations);
  const bool use_lock = absl::GetFlag(FLAGS_lock);

  lesson::Title("线程锁（ThreadSanitizer）", "Thread locks: the real data race");
  if (use_lock) {
    lesson::Print("Two threads, a plain long num guarded by a std::mutex, %d iterations each.",
                  iterations);
  } else {
    lesson::Print("Two threads, a plain long num and no lock, %d iterations each.", iterations);
  }
  {
    std::thread t1([&] {
      trace::NameThread("t1");
      trace::Span span("num += i; num -= i");
      Run(iterations, use_lock);
    });
    std::thread t2([&] {
      trace::NameThread("t2");
      trace::Span span("num += i; num -= i");
      Run(iterations, use_lock);
    });
    t1.join();
    t2.join();
  }
  lesson::WriteLine(absl::StrFormat("num = %d", num));
  lesson::Notice({
      use_lock ? lesson::Tr("With --lock there is no report: the mutex orders every access to "
                            "num, so no two of them race.")
               : lesson::Tr("Without --lock, ThreadSanitizer prints 'WARNING: ThreadSanitizer: "
                            "data race' on standard error, naming the two accesses to num, and "
                            "the exit status is 66. Run it again with --lock: no report."),
      lesson::Tr("The number printed proves nothing either way: a data race is undefined "
                 "behaviour, which is why //thread:lock uses atomic loads and stores instead."),
  });
  return 0;
}
