// coroutine/generator.cc — 协程属性 (coroutine basics: generators)
//
// Ports the tutorial's 协程属性 section: "Python 对协程的支持是通过生成器 generator 实现的。
// 生成器不但可以通过 for 循环迭代，还可以不断调用 next() 函数获取由 yield 语句返回的下一个值，
// 并且还可以接收调用者发出的参数。" A generator is a function that stops at each `yield`
// and continues where it stopped when the caller asks for the next value: two routines
// taking turns on one thread, switched by the program, not by the OS.
//
// In C++20 the same machine is a coroutine whose body uses `co_yield` (coroutine/generator.h).
// The body's locals live in a heap-allocated frame, not on the stack, which is how it
// survives between pulls; destroying the generator destroys the frame and runs the locals'
// destructors (Python's close() and `finally`).
//
//   bazel run //coroutine:generator -- --count=5
#include <optional>
#include <string>

#include "absl/flags/flag.h"
#include "common/flags.h"
#include "common/lesson.h"
#include "coroutine/coro/generator.h"

ABSL_FLAG(int, count, 3, "how many values the countdown generator yields");

namespace {

// Prints when it is destroyed: shows when the generator's frame goes away.
struct Cleanup {
  const char* who;
  ~Cleanup() {
    lesson::Print("    [%s] frame destroyed: locals cleaned up (thread %d)", who,
                  lesson::ThreadId());
  }
};

// A generator: nothing here runs until someone asks for a value.
coro::Generator<int> Countdown(int from) {
  Cleanup cleanup{"countdown"};
  lesson::Print("    [countdown] starts (thread %d)", lesson::ThreadId());
  for (int n = from; n > 0; --n) {
    lesson::Print("    [countdown] yields %d", n);
    co_yield n;  // suspend here; the caller's Next() returns n
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

}  // namespace

int main(int argc, char** argv) {
  lesson::ParseFlags(argc, argv, "A C++20 generator: co_yield, next(), for, send().");
  lesson::RequireInRange(FLAGS_count, 1, 20);
  const int count = absl::GetFlag(FLAGS_count);

  lesson::Title("协程属性: 生成器", "Coroutine basics: generators");
  lesson::Print("main runs on thread %d", lesson::ThreadId());

  lesson::Step("Calling a generator function runs nothing (lazy)");
  {
    coro::Generator<int> g = Countdown(count);
    lesson::Print("Countdown(%d) returned a generator; its body has not printed anything", count);

    lesson::Step("next(): each pull runs the body up to its next co_yield");
    for (int pull = 1; pull <= 2; ++pull) {
      lesson::Print("main: Next() #%d", pull);
      if (std::optional<int> value = g.Next()) {
        lesson::Print("main: got %d", *value);
      } else {
        lesson::Print("main: got nothing: the generator has returned");
      }
    }
    lesson::Print(g.done() ? "main: drops the generator (it had already returned)"
                           : "main: drops the generator before it has finished");
  }

  lesson::Step("for: range-for pulls until the body returns");
  for (int n : Countdown(count)) lesson::Print("main: for loop got %d", n);

  lesson::Step("send(): the caller sends values in, co_yield hands results back");
  coro::Generator<double, double> averager = RunningAverage();
  averager.Next();  // Python: send(None) first, to reach the first yield
  for (double x : {10.0, 20.0, 60.0}) {
    lesson::Print("main: send(%g) -> average %g", x, *averager.Send(x));
  }

  lesson::Notice({
      "The body and main took turns on one thread: every line shows the same thread id.",
      "Nothing ran until the first Next(); each Next() ran exactly to the next co_yield.",
      "Dropping a generator early destroyed its frame: the body's locals were cleaned up "
      "although the loop never finished (Python runs `finally` on close()).",
      "send() makes the generator a two-way coroutine; producer_consumer builds on it.",
  });
  return 0;
}
