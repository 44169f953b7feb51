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
// The tutorial's note "调用 threading 模块的函数可以不用在 if __name__ == '__main__': 下执行"
// is answered here: a thread runs inside the process that started it, so nothing is
// loaded or run again, while multiprocessing's spawn start method starts a fresh
// interpreter that imports the main module again (as __mp_main__), re-running its
// unguarded top-level code (//process:start_methods shows spawn).
// Checked with CPython 3.11.7: a thread Python did not start is named Dummy-<n> from the
// counter Thread-<n> uses; activeCount()/currentThread() warn (DeprecationWarning);
// TIMEOUT_MAX is 9223372036.0; spawn without the guard raises RuntimeError.
//
//   bazel run //thread:api_tour -- --delay=100ms
#include <unistd.h>

#include <atomic>
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
#include "common/trace.h"
#include "thread/cancellable_timer.h"
#include "thread/thread_registry.h"
#include "thread/timed_barrier.h"

ABSL_FLAG(absl::Duration, delay, absl::Milliseconds(100), "the Timer's delay");

namespace {

// How many times main() has started in this process: a spawned process would run it
// again in a new process; a thread never does.
std::atomic<int> main_started = 0;

// One entry of the tour: the Python call, its C++ counterpart (both code, the same in
// every language), and a note on it in the reader's language.
void Api(std::string_view python, std::string_view cpp, const lesson::Text& note) {
  lesson::WriteLine("");
  lesson::WriteLine(absl::StrFormat("Python  %s", python));
  lesson::WriteLine(absl::StrFormat("C++     %s", cpp));
  if (!note.empty()) lesson::WriteLine(absl::StrFormat("        // %s", note.str()));
}

// The result's name in the code: kPassed, kTimedOut, kBroken.
const char* Code(threading::BarrierResult result) {
  switch (result) {
    case threading::BarrierResult::kPassed:
      return "kPassed";
    case threading::BarrierResult::kTimedOut:
      return "kTimedOut";
    case threading::BarrierResult::kBroken:
      return "kBroken";
  }
  return "?";
}

void Run(int a, const std::string& b) {
  lesson::Print("   ->   run(%d, '%s') on thread %s (id %d)", a, b,
                threading::CurrentThread().name, lesson::ThreadId());
}

}  // namespace

int main(int argc, char** argv) {
  ++main_started;
  lesson::ParseFlags(argc, argv, "Python's threading API, call by call, in C++.");
  lesson::RequireInRange(FLAGS_delay, absl::ZeroDuration(), absl::Seconds(5));
  const auto delay = absl::ToChronoNanoseconds(absl::GetFlag(FLAGS_delay));

  lesson::Title("threading 模块", "The threading module, mapped to C++");

  lesson::Step("Creating, starting and joining");
  Api("t = threading.Thread(target=run, args=[1, '2']); t.start()", "std::thread t(Run, 1, \"2\");",
      lesson::Tr("constructing it starts it: no start()"));
  std::string dummy_name;
  std::thread t([&dummy_name] {
    trace::NameThread("std::thread t");
    Run(1, "2");
    dummy_name = threading::CurrentThread().name;
  });
  t.join();
  lesson::Print("   ->   (a std::thread has no name: asked, the registry calls it %s, as Python "
                "3.11 names a thread its threading module did not start: Dummy-<n>, numbered by "
                "the same counter as Thread-<n>)",
                dummy_name);
  Api("t.join()", "t.join();", lesson::Tr("or std::jthread, which joins in its destructor"));
  lesson::Print("   ->   joined; t.joinable() = %s", t.joinable() ? "true" : "false");
  Api("threading.Thread(target=run, name='worker', args=[3, '4'])",
      "threading::Thread t(\"worker\", Run, 3, \"4\");",
      lesson::Tr("thread_registry.h: named, counted"));
  threading::Thread named("worker", Run, 3, std::string("4"));
  named.Join();

  lesson::Step("Locks");
  Api("lock = threading.Lock(); with lock: ...", "std::mutex m; { std::lock_guard g(m); ... }",
      lesson::Tr("or absl::Mutex with absl::MutexLock"));
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
  Api("threading.active_count()", "threading::ActiveCount()",
      lesson::Tr("the tutorial's activeCount() is deprecated since Python 3.10 and warns; "
                 "thread_registry.h, the standard has no equivalent"));
  lesson::WriteLine(absl::StrFormat("   ->   %d", threading::ActiveCount()));
  Api("threading.current_thread()",
      "threading::CurrentThread(); std::this_thread::get_id(); gettid()",
      lesson::Tr("the tutorial's currentThread() is deprecated since Python 3.10 and warns"));
  {
    threading::ThreadInfo me = threading::CurrentThread();
    lesson::Print("   ->   name %s, kernel id %d, main: %s", me.name, me.tid,
                  me.is_main ? lesson::Tr("yes").str() : lesson::Tr("no").str());
  }
  Api("threading.enumerate()", "threading::Enumerate()", lesson::Tr("thread_registry.h"));
  {
    std::latch release(1);
    threading::Thread a("alpha", [&] { release.wait(); });
    threading::Thread b("beta", [&] { release.wait(); });
    std::string names;
    for (const auto& info : threading::Enumerate()) {
      names += absl::StrFormat("%s%s", names.empty() ? "" : ", ", info.name);
    }
    lesson::WriteLine(absl::StrFormat("   ->   [%s]", names));
    release.count_down();
  }

  lesson::Step("Timer and Barrier");
  Api("threading.Timer(10, run).start()", "threading::Timer t(10s, run); t.Start();",
      lesson::Tr("cancellable_timer.h, with Cancel() and Join()"));
  {
    lesson::Stopwatch watch;
    threading::Timer timer(delay, [&] {
      lesson::Print("   ->   fired after %.0f ms", watch.Seconds() * 1e3);
    });
    timer.Start();
    timer.Join();
  }
  Api("bar = threading.Barrier(3); bar.wait()", "std::barrier b(3); b.arrive_and_wait();",
      lesson::Tr("or threading::TimedBarrier(3).WaitFor(t), which can time out"));
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
                  Code(results[0]), Code(results[1]), Code(results[2]));
  }

  lesson::Step("Timeouts");
  Api("threading.TIMEOUT_MAX", "std::timed_mutex::try_lock_for(d)",
      lesson::Tr("TIMEOUT_MAX is read-only: the largest timeout a blocking call accepts. C++ "
                 "has no global limit; each wait takes its own duration"));
  using Seconds = std::chrono::duration<double>;
  const double max_seconds = Seconds(std::chrono::nanoseconds::max()).count();
  lesson::Print("   ->   std::chrono::nanoseconds::max() = %.3f s (about %.0f years); "
                "Python 3.11's TIMEOUT_MAX on 64-bit Linux is 9223372036.0 s",
                max_seconds, max_seconds / (365.25 * 24 * 3600));
  lesson::Print("   ->   no deadline at all: absl::InfiniteDuration() = %s",
                absl::FormatDuration(absl::InfiniteDuration()));

  lesson::Step("No if __name__ == '__main__' guard for threads");
  Api("threading.Thread(target=run).start()", "std::thread t(Run);",
      lesson::Tr("at the top level of a module, unguarded: a thread runs in this process, so "
                 "nothing is loaded or run again"));
  int thread_pid = 0;
  std::thread([&thread_pid] {
    trace::NameThread("guard check");
    thread_pid = static_cast<int>(getpid());
  }).join();
  lesson::Print("   ->   the thread ran in pid %d, main's pid is %d; main() has started %d "
                "time(s) in this process",
                thread_pid, static_cast<int>(getpid()), main_started.load());
  lesson::Print("   ->   multiprocessing's spawn starts a new interpreter that imports the "
                "main module again (as __mp_main__): unguarded top-level code runs again "
                "there, and starting a process from it raises RuntimeError (CPython 3.11.7). "
                "See //process:start_methods.");

  lesson::Notice({
      lesson::Tr("A C++ thread starts when it is constructed; there is no separate start()."),
      lesson::Tr("Naming, counting and listing threads, Timer, and a Barrier that can time out "
                 "are not in the standard library: this chapter's helpers provide them "
                 "(thread_registry.h, cancellable_timer.h, timed_barrier.h)."),
      lesson::Tr("Where both exist, the standard type is the default choice (std::mutex, "
                 "std::barrier); Abseil adds conveniences (absl::Mutex::Await, lock "
                 "annotations)."),
      lesson::Tr("TIMEOUT_MAX sets nothing: it is the ceiling of a 64-bit count of time units, "
                 "and C++'s std::chrono::nanoseconds has the same ceiling."),
      thread_pid == static_cast<int>(getpid()) && main_started == 1
          ? lesson::Tr("Threads need no if __name__ == '__main__' guard: the thread ran in the "
                       "same process and main() ran once. Only a start method that runs the "
                       "program again (spawn, and forkserver, Linux's default from Python 3.14) "
                       "re-runs unguarded top-level code; fork, Linux's default before 3.14, "
                       "copies the running process instead.")
          : lesson::Tr("The thread did not run in main's process, or main() ran twice: that is "
                       "a bug in this lesson, please report it."),
  });
  return 0;
}
