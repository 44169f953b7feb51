// coroutine/producer_consumer.cc — 生成器-协程模型 (producer and consumer as coroutines)
//
// Ports the tutorial's consumer()/produce(c) program, with the same output lines. The
// producer makes a message and `send`s it straight to the consumer, which handles it and
// `yield`s its reply back: no queue, no lock, one thread. Compare //thread:producer_consumer,
// the "traditional" model with a lock and a condition variable.
//
// In C++ the consumer is a Generator<std::string, int>: `int n = co_yield r;` is Python's
// `n = yield r`, c.Send(n) is c.send(n), c.Next() is the first c.send(None), and
// c.Close() destroys the consumer's frame (Python raises GeneratorExit inside it).
//
// The tutorial's 协程定义 says 进程>=线程>=协程 and 进程、线程都由系统控制，协程由程序猿控制.
// Both are shown from the run: the process id, the thread id the producer and the consumer
// share, and the kernel's count of context switches of that thread (getrusage) against the
// number of times the program itself handed control over.
//
//   bazel run //coroutine:producer_consumer
//   bazel run //coroutine:producer_consumer -- --trace=/tmp/pc.json   # arrows per hand-over
#include <sys/resource.h>
#include <unistd.h>

#include <string>

#include "absl/flags/flag.h"
#include "common/flags.h"
#include "common/lesson.h"
#include "common/trace.h"
#include "coroutine/conclusions.h"
#include "coroutine/coro/lazy_generator.h"
#include "coroutine/hand_over.h"

ABSL_FLAG(int, messages, 3, "how many messages the producer produces (the tutorial: 3)");

namespace {

int hand_overs = 0;        // how many times control moved between producer and consumer
long consumer_thread = 0;  // the thread the consumer's body ran on
coroutine::HandOver hand_over;

coro::Generator<std::string, int> Consumer() {
  coroutine::GeneratorTrack track("consumer()");
  consumer_thread = lesson::ThreadId();
  std::string r;
  while (true) {
    track.Suspended();
    int n = co_yield r;  // hand r to the producer; wait for the next n
    track.Resumed();
    ++hand_overs;  // the producer's send() resumed us
    trace::Span turn("consumer's turn");
    hand_over.Take("send(n)");
    if (n == 0) co_return;  // Python: `if not n: return`
    lesson::Tutorial("[CONSUMER] Consuming %d...", n);
    r = "200 OK";
    hand_over.Give("yield r");
    ++hand_overs;  // ... and the co_yield above returns r to it
  }
}

void Produce(coro::Generator<std::string, int>& c, int messages) {
  trace::Span produce("produce(c)");
  c.Next();  // c.send(None): start the consumer, run it to its first yield
  hand_overs += 2;
  int n = 0;
  while (n < messages) {
    n = n + 1;
    lesson::Tutorial("[PRODUCER] Producing %d...", n);
    std::string r;
    {
      trace::Span send("send(n): the consumer runs", trace::kWait);
      hand_over.Give("send(n)");
      r = c.Send(n).value();  // switch to the consumer, get its reply
      hand_over.Take("yield r");
    }
    lesson::Tutorial("[PRODUCER] Consumer return: %s", r);
  }
  c.Close();
}

// This thread's context switches so far, as the kernel counts them.
struct Switches {
  long voluntary = 0, involuntary = 0;
};
Switches ThreadSwitches() {
  rusage usage{};
  getrusage(RUSAGE_THREAD, &usage);
  return {usage.ru_nvcsw, usage.ru_nivcsw};
}

}  // namespace

int main(int argc, char** argv) {
  lesson::ParseFlags(argc, argv, "The tutorial's generator-based producer and consumer.");
  lesson::RequireInRange(FLAGS_messages, 1, 100);
  const int messages = absl::GetFlag(FLAGS_messages);

  lesson::Title("生成器-协程模型", "Producer and consumer as coroutines (yield / send)");
  lesson::Step("c = consumer(); produce(c)");
  coro::Generator<std::string, int> c = Consumer();
  const Switches before = ThreadSwitches();
  Produce(c, messages);
  const Switches after = ThreadSwitches();
  if (messages == 3) {
    lesson::Print("(CPython 3.11.7 prints exactly these nine lines, as the tutorial shows.)");
  } else {
    lesson::Print("(The tutorial sends 3 messages; with --messages=3 these are its nine lines, "
                  "which CPython 3.11.7 prints exactly.)");
  }

  lesson::Step("Who ran it: process >= thread >= coroutine");
  lesson::Print("process %d > thread %d > two routines on it: the producer (thread %d) and "
                "the consumer (thread %d)",
                static_cast<int>(getpid()), lesson::ThreadId(), lesson::ThreadId(),
                consumer_thread);
  lesson::Print("control changed hands %d times: c.send(None) and one send() per message, "
                "each answered by a yield",
                hand_overs);
  lesson::Print("the kernel switched this thread meanwhile: %d times voluntarily (it blocked), "
                "%d times involuntarily (preempted)",
                after.voluntary - before.voluntary, after.involuntary - before.involuntary);

  lesson::Notice(coroutine::ProducerConsumerConclusions({
      .hand_overs = hand_overs,
      .voluntary_switches = after.voluntary - before.voluntary,
      .involuntary_switches = after.involuntary - before.involuntary,
      .same_thread = consumer_thread == lesson::ThreadId(),
  }));
  return 0;
}
