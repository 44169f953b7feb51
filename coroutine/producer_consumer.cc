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
//   bazel run //coroutine:producer_consumer
#include <string>

#include "absl/flags/flag.h"
#include "common/flags.h"
#include "common/lesson.h"
#include "coroutine/coro/generator.h"

ABSL_FLAG(int, messages, 3, "how many messages the producer produces");

namespace {

int resumes = 0;           // how many times the producer handed control to the consumer
long consumer_thread = 0;  // the thread the consumer's body ran on

coro::Generator<std::string, int> Consumer() {
  consumer_thread = lesson::ThreadId();
  std::string r;
  while (true) {
    int n = co_yield r;  // hand r to the producer; wait for the next n
    if (n == 0) co_return;  // Python: `if not n: return`
    lesson::Print("[CONSUMER] Consuming %d...", n);
    r = "200 OK";
  }
}

void Produce(coro::Generator<std::string, int>& c, int messages) {
  ++resumes;
  c.Next();  // c.send(None): start the consumer, run it to its first yield
  int n = 0;
  while (n < messages) {
    n = n + 1;
    lesson::Print("[PRODUCER] Producing %d...", n);
    ++resumes;
    std::string r = c.Send(n).value();  // switch to the consumer, get its reply
    lesson::Print("[PRODUCER] Consumer return: %s", r);
  }
  c.Close();
}

}  // namespace

int main(int argc, char** argv) {
  lesson::ParseFlags(argc, argv, "The tutorial's generator-based producer and consumer.");
  lesson::RequireInRange(FLAGS_messages, 1, 100);

  lesson::Title("生成器-协程模型", "Producer and consumer as coroutines (yield / send)");
  lesson::Step("c = consumer(); produce(c)");
  coro::Generator<std::string, int> c = Consumer();
  Produce(c, absl::GetFlag(FLAGS_messages));

  lesson::Step("Who ran it");
  lesson::Print("producer on thread %d, consumer on thread %d", lesson::ThreadId(),
                consumer_thread);
  lesson::Print("the producer resumed the consumer %d times (start + one per message); "
                "each time the consumer yielded straight back",
                resumes);
  lesson::Notice({
      "Same lines as the tutorial: each message goes producer -> consumer -> producer.",
      "One thread, no lock, no queue: the switch is a function-call-like resume, decided "
      "by the program (cooperative), not a preemptive thread switch by the OS.",
      "c.Close() destroyed the consumer's frame; the tutorial's `if not n: return` path "
      "(sending 0) would end it too.",
  });
  return 0;
}
