// coroutine/generator.cc — 协程定义 / 协程属性 (what a coroutine is: generators)
//
// Ports the tutorial's 协程定义 and 协程属性: "Python 对协程的支持是通过生成器 generator
// 实现的。生成器不但可以通过 for 循环迭代，还可以不断调用 next() 函数获取由 yield 语句返回的
// 下一个值，并且还可以接收调用者发出的参数。" A generator is a function that stops at each
// `yield` and continues where it stopped when the caller asks for the next value: two
// routines taking turns on one thread, switched by the program, not by the OS.
//
// The tutorial names three ways Python does coroutines: yield/send (generators, on which
// async/await is built), greenlet and gevent. The first is *stackless*: only the
// coroutine's own body can suspend, and what survives a suspension is a small frame. C++20
// coroutines are of that kind: `co_yield` and `co_await` may appear only in the coroutine's
// body, and its locals live in a heap-allocated frame (the lesson shows where, from
// /proc/self/maps). greenlet is *stackful*: each greenlet has a stack of its own, so it can
// switch from any depth of ordinary calls; C++ has that in libraries, Boost.Context (and
// Boost.Coroutine2 and Boost.Fiber on top of it). gevent is greenlets plus an event loop,
// with blocking calls patched to switch instead; the nearest in C++ is Boost.Asio's
// stackful spawn(). This chapter uses the standard, stackless kind throughout.
//
// Destroying the generator destroys the frame and runs the locals' destructors (Python's
// close() and `finally`).
//
//   bazel run //coroutine:generator -- --count=5
//   bazel run //coroutine:generator -- --trace=/tmp/generator.json
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <optional>
#include <set>
#include <string>

#include "absl/flags/flag.h"
#include "absl/strings/str_format.h"
#include "common/flags.h"
#include "common/lesson.h"
#include "common/trace.h"
#include "coroutine/coro/lazy_generator.h"
#include "coroutine/hand_over.h"

ABSL_FLAG(int, count, 3, "how many values the countdown generator yields");

namespace {

std::set<long> threads_seen;           // every thread that ran main or the body
uintptr_t countdown_local = 0;         // where a local of the body lived
coroutine::HandOver pulls;              // the trace's arrows for the Next() calls below

// Prints when it is destroyed: shows when the generator's frame goes away.
struct Cleanup {
  ~Cleanup() {
    threads_seen.insert(lesson::ThreadId());
    lesson::Print("    [countdown] frame destroyed: locals cleaned up (thread %d)",
                  lesson::ThreadId());
  }
};

// A generator: nothing here runs until someone asks for a value. `hand_over` (may be null)
// draws the trace's arrows for pulls made through Pull().
coro::Generator<int> Countdown(int from, coroutine::HandOver* hand_over = nullptr) {
  coroutine::GeneratorTrack track("countdown()");
  auto take = [hand_over](const char* what) {
    if (hand_over != nullptr) hand_over->Take(what);
  };
  Cleanup cleanup;
  countdown_local = reinterpret_cast<uintptr_t>(&cleanup);
  {
    trace::Span turn("countdown: starts");
    take("next()");
    threads_seen.insert(lesson::ThreadId());
    lesson::Print("    [countdown] starts (thread %d)", lesson::ThreadId());
  }
  for (int n = from; n > 0; --n) {
    {
      trace::Span turn("countdown: yields");
      lesson::Print("    [countdown] yields %d", n);
      if (hand_over != nullptr) hand_over->Give("co_yield");
    }
    track.Suspended();
    co_yield n;  // suspend here; the caller's Next() returns n
    track.Resumed();
    trace::Span turn("countdown: resumed");
    take("next()");
    lesson::Print("    [countdown] resumed after %d", n);
  }
  lesson::Print("    [countdown] returns (Python: StopIteration)");
}

// Receives what the caller sends: `double x = co_yield average` is Python's
// `x = yield average`.
coro::Generator<double, double> RunningAverage() {
  double sum = 0;
  int count = 0;
  double average = 0;
  while (true) {
    double x = co_yield average;
    sum += x;
    ++count;
    average = sum / count;
  }
}

// One pull, traced: main's span contains the body's turn, with an arrow each way.
std::optional<int> Pull(coro::Generator<int>& g) {
  trace::Span span("main: Next()", trace::kWait);
  pulls.Give("next()");
  std::optional<int> value = g.Next();
  pulls.Take("co_yield");
  return value;
}

// This thread's stack, from /proc/self/maps (the main thread's is marked [stack]).
struct Range {
  uintptr_t begin = 0, end = 0;
  bool Contains(uintptr_t a) const { return begin <= a && a < end; }
};
Range MainThreadStack() {
  std::ifstream maps("/proc/self/maps");
  std::string line;
  while (std::getline(maps, line)) {
    if (line.find("[stack]") == std::string::npos) continue;
    Range r;
    if (std::sscanf(line.c_str(), "%lx-%lx", &r.begin, &r.end) == 2) return r;
  }
  return {};
}

}  // namespace

int main(int argc, char** argv) {
  lesson::ParseFlags(argc, argv, "A C++20 generator: co_yield, next(), for, send().");
  lesson::RequireInRange(FLAGS_count, 1, 20);
  const int count = absl::GetFlag(FLAGS_count);

  lesson::Title("协程属性：生成器", "Coroutine basics: generators");
  threads_seen.insert(lesson::ThreadId());
  lesson::Print("main runs in process %d, on thread %d", static_cast<int>(getpid()),
                lesson::ThreadId());

  lesson::Step("Calling a generator function runs nothing (lazy)");
  bool dropped_early = false;
  {
    coro::Generator<int> g = Countdown(count, &pulls);
    lesson::Print("Countdown(%d) returned a generator; its body has not printed anything", count);

    lesson::Step("next(): each pull runs the body up to its next co_yield");
    for (int pull = 1; pull <= 2; ++pull) {
      lesson::Print("main: Next() #%d", pull);
      if (std::optional<int> value = Pull(g)) {
        lesson::Print("main: got %d", *value);
      } else {
        lesson::Print("main: got nothing: the generator has returned");
      }
    }
    dropped_early = !g.done();
    if (dropped_early) {
      lesson::Print("main: drops the generator before it has finished");
    } else {
      lesson::Print("main: drops the generator (it had already returned)");
    }
  }

  lesson::Step("for: range-for pulls until the body returns");
  for (int n : Countdown(count)) lesson::Print("main: for loop got %d", n);

  lesson::Step("send(): the caller sends values in, co_yield hands results back");
  coro::Generator<double, double> averager = RunningAverage();
  averager.Next();  // Python: send(None) first, to reach the first yield
  for (double x : {10.0, 20.0, 60.0}) {
    lesson::Print("main: send(%g) -> average %g", x, *averager.Send(x));
  }

  lesson::Step("Stackless: where the body's locals live");
  const Range stack = MainThreadStack();
  int main_local = 0;
  const auto main_address = reinterpret_cast<uintptr_t>(&main_local);
  const bool stack_found = stack.Contains(main_address);
  const bool frame_off_stack = stack_found && !stack.Contains(countdown_local);
  if (stack_found) {
    lesson::Print("this thread's stack (/proc/self/maps): %s to %s",
                  absl::StrFormat("%#x", stack.begin), absl::StrFormat("%#x", stack.end));
    lesson::Print("a local of main():        %s  (on the stack)",
                  absl::StrFormat("%#x", main_address));
    if (frame_off_stack) {
      lesson::Print("a local of Countdown():   %s  (not on the stack: in the coroutine's frame, "
                    "allocated on the heap)",
                    absl::StrFormat("%#x", countdown_local));
    } else {
      lesson::Print("a local of Countdown():   %s  (on the stack: the compiler elided the "
                    "frame's allocation)",
                    absl::StrFormat("%#x", countdown_local));
    }
  } else {
    lesson::Print("(/proc/self/maps shows no stack for this thread: cannot show where the "
                  "frame lives)");
  }

  std::vector<lesson::Text> points;
  points.push_back(
      threads_seen.size() == 1
          ? lesson::Format("The body and main took turns on one thread (%d): every line shows "
                           "the same thread id. Nothing ran until the first Next(); each "
                           "Next() ran exactly to the next co_yield.",
                           *threads_seen.begin())
          : lesson::Tr("The body and main ran on different threads: that is a bug in this "
                       "lesson, please report it."));
  if (dropped_early) {
    points.push_back(lesson::Tr(
        "Dropping the generator early destroyed its frame: the body's locals were cleaned "
        "up although its loop never finished (Python runs `finally` on close())."));
  }
  points.push_back(lesson::Tr(
      "Stackless: a C++20 coroutine keeps its locals in a frame, and only its own body can "
      "suspend (co_yield, co_await), like Python's yield/send and async/await. The "
      "tutorial's greenlet is stackful: a stack per coroutine, so it can switch from any "
      "depth of calls; in C++ that is Boost.Context (Boost.Coroutine2, Boost.Fiber). gevent "
      "is greenlets plus an event loop; Boost.Asio's spawn() is the nearest."));
  if (frame_off_stack) {
    points.push_back(lesson::Tr(
        "The frame lives on the heap, off the thread's stack: that is how a generator keeps "
        "its state between pulls, while main's stack frames come and go."));
  }
  points.push_back(lesson::Tr(
      "send() makes the generator a two-way coroutine; //coroutine:producer_consumer builds "
      "the tutorial's producer and consumer on it."));
  lesson::Notice(points);
  return 0;
}
