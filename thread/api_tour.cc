// thread/api_tour.cc — threading 模块 (the threading module, mapped to C++)
//
// Ports the tutorial's list of threading functions. For each one it prints the Python
// call, the C++ counterpart (standard library first, then this chapter's helpers or
// Abseil where the standard has nothing), and runs the C++ so the result shown is live.
//
// Two corrections to the tutorial's list: activeCount() and currentThread() are old
// camelCase aliases, deprecated since Python 3.10 (use active_count(), current_thread());
// and TIMEOUT_MAX does not "set the global timeout": it is a read-only constant, the
// largest timeout a blocking call accepts. C++ has no global timeout either: each timed
// wait takes its own duration, up to what the clock's 64-bit count can hold.
//
//   bazel run //thread:api_tour -- --delay=100ms
#include <barrier>
#include <chrono>
#include <latch>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/flags.h"
#include "common/lesson.h"
#include "common/stopwatch.h"
#include "thread/cancellable_timer.h"
#include "thread/thread_registry.h"
#include "thread/timed_barrier.h"

ABSL_FLAG(absl::Duration, delay, absl::Milliseconds(100), "the Timer's delay");

namespace {

void Api(std::string_view python, std::string_view cpp) {
  lesson::Print("");
  lesson::Print("Python  %s", python);
  lesson::Print("C++     %s", cpp);
}

void Run(int a, const std::string& b) {
  lesson::Print("   ->   run(%d, '%s') on thread %s (id %d)", a, b,
                threading::CurrentThread().name, lesson::ThreadId());
}

}  // namespace

int main(int argc, char** argv) {
  lesson::ParseFlags(argc, argv, "Python's threading API, call by call, in C++.");
  lesson::RequireInRange(FLAGS_delay, absl::ZeroDuration(), absl::Seconds(5));
  const auto delay = absl::ToChronoNanoseconds(absl::GetFlag(FLAGS_delay));

  lesson::Title("threading 模块", "The threading module, mapped to C++");

  lesson::Step("Creating, starting and joining");
  Api("t = threading.Thread(target=run, args=[1, '2']); t.start()",
      "std::thread t(Run, 1, \"2\");   // constructing it starts it: no start()");
  std::thread t(Run, 1, "2");
  t.join();
  lesson::Print("   ->   (a std::thread has no name; the registry calls it Dummy-<id>, as "
                "Python names threads it did not start)");
  Api("t.join()", "t.join();   // or std::jthread, which joins in its destructor");
  lesson::Print("   ->   joined; t.joinable() = %s", t.joinable() ? "true" : "false");
  Api("threading.Thread(target=run, name='worker', args=[3, '4'])",
      "threading::Thread t(\"worker\", Run, 3, \"4\");   // thread_registry.h: named, counted");
  threading::Thread named("worker", Run, 3, std::string("4"));
  named.Join();

  lesson::Step("Locks");
  Api("lock = threading.Lock(); with lock: ...",
      "std::mutex m; { std::lock_guard g(m); ... }   or absl::Mutex + absl::MutexLock");
  {
    std::mutex m;
    absl::Mutex am;
    std::lock_guard g(m);
    absl::MutexLock ag(&am);
    bool other_got_it = true, other_got_absl = true;
    std::thread([&] {
      other_got_it = m.try_lock();
      other_got_absl = am.TryLock();
    }).join();
    lesson::Print("   ->   while held here, another thread's try_lock(): std::mutex %s, "
                  "absl::Mutex %s",
                  other_got_it ? "true" : "false", other_got_absl ? "true" : "false");
  }

  lesson::Step("Counting and naming threads");
  Api("threading.active_count()   (the tutorial's activeCount(): a deprecated alias)",
      "threading::ActiveCount()   // thread_registry.h; the standard has no equivalent");
  lesson::Print("   ->   %d", threading::ActiveCount());
  Api("threading.current_thread()   (currentThread(): deprecated alias)",
      "threading::CurrentThread(); std::this_thread::get_id(); gettid()");
  {
    threading::ThreadInfo me = threading::CurrentThread();
    lesson::Print("   ->   name %s, kernel id %d, main: %s", me.name, me.tid,
                  me.is_main ? "yes" : "no");
  }
  Api("threading.enumerate()", "threading::Enumerate()   // thread_registry.h");
  {
    std::latch release(1);
    threading::Thread a("alpha", [&] { release.wait(); });
    threading::Thread b("beta", [&] { release.wait(); });
    std::string names;
    for (const auto& info : threading::Enumerate()) {
      names += absl::StrFormat("%s%s", names.empty() ? "" : ", ", info.name);
    }
    lesson::Print("   ->   [%s]", names);
    release.count_down();
  }

  lesson::Step("Timer and Barrier");
  Api("threading.Timer(10, run).start()",
      "threading::Timer t(10s, run); t.Start();   // cancellable_timer.h; Cancel(), Join()");
  {
    lesson::Stopwatch watch;
    threading::Timer timer(delay, [&] {
      lesson::Print("   ->   fired after %.0f ms", watch.Seconds() * 1e3);
    });
    timer.Start();
    timer.Join();
  }
  Api("bar = threading.Barrier(3); bar.wait()",
      "std::barrier b(3); b.arrive_and_wait();   or threading::TimedBarrier(3).WaitFor(t)");
  {
    std::barrier b(3);
    threading::TimedBarrier tb(3);
    std::vector<threading::BarrierResult> results(3);
    {
      std::vector<std::jthread> group;
      for (int i = 0; i < 3; ++i) {
        group.emplace_back([&, i] {
          b.arrive_and_wait();
          results[i] = tb.WaitFor(std::chrono::seconds(10));
        });
      }
    }
    lesson::Print("   ->   3 threads passed std::barrier; TimedBarrier said: %s, %s, %s",
                  threading::BarrierResultName(results[0]),
                  threading::BarrierResultName(results[1]),
                  threading::BarrierResultName(results[2]));
  }

  lesson::Step("Timeouts");
  Api("threading.TIMEOUT_MAX   (read-only: the largest timeout a blocking call accepts)",
      "no global limit; each wait takes a duration, e.g. "
      "std::timed_mutex::try_lock_for(d)");
  using Seconds = std::chrono::duration<double>;
  const double max_seconds = Seconds(std::chrono::nanoseconds::max()).count();
  lesson::Print("   ->   std::chrono::nanoseconds::max() = %.3f s (about %.0f years); "
                "Python 3.11's TIMEOUT_MAX on 64-bit Linux is 9223372036.0 s",
                max_seconds, max_seconds / (365.25 * 24 * 3600));
  lesson::Print("   ->   no deadline at all: absl::InfiniteDuration() = %s",
                absl::FormatDuration(absl::InfiniteDuration()));

  lesson::Notice({
      "A C++ thread starts when it is constructed; there is no separate start().",
      "Naming, counting and listing threads, Timer, and a Barrier that can time out are "
      "not in the standard library: this chapter's helpers provide them (thread_registry.h, "
      "cancellable_timer.h, timed_barrier.h).",
      "Where both exist, the standard type is the default choice (std::mutex, "
      "std::barrier); Abseil adds conveniences (absl::Mutex::Await, lock annotations).",
      "TIMEOUT_MAX sets nothing: it is the ceiling of a 64-bit count of time units, and "
      "C++'s std::chrono::nanoseconds has the same ceiling.",
  });
  return 0;
}
