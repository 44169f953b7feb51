// thread/producer_consumer.cc — 协程 (传统生产者-消费者模型): the classic producer-consumer
//
// Ports the model the tutorial's coroutine section starts from: "一个线程写消息，一个线程
// 取消息，通过锁控制队列和等待，但一不小心就会死锁" (one thread writes messages, another
// takes them, a lock controls the queue and the waiting, and one slip deadlocks). Step 1
// plays the tutorial's exact exchange (produce 1..3, the consumer answers "200 OK") with
// two threads and two queues, so its output can be put beside
// //coroutine:producer_consumer line by line. Step 2 lets the producer run ahead through
// a buffer and measures throughput, with the std:: queue and the Abseil queue side by
// side. Step 3 makes the slip: the producer forgets to say "no more", and the consumer
// would wait forever; a timeout catches it.
//
// How C++ differs: the queue is yours to build (bounded_queue.h): std::mutex with
// condition variables, or absl::Mutex with conditions. Each message crosses threads, so
// each costs a wake-up; the coroutine version needs neither lock nor wake-up.
//
//   bazel run //thread:producer_consumer -- --items=100000 --capacity=16 --queue=both
//   bazel run //thread:producer_consumer -- --trace=pc.json   # the hand-overs as arrows
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "common/flags.h"
#include "common/lesson.h"
#include "common/stopwatch.h"
#include "common/table.h"
#include "common/trace.h"
#include "thread/bounded_queue.h"

ABSL_FLAG(int, items, 100000, "how many items the producer makes in step 2");
ABSL_FLAG(int, capacity, 16, "how many items the queue holds in step 2");
ABSL_FLAG(std::string, queue, "both", "step 2 uses the std queue, the absl queue, or both");
ABSL_FLAG(absl::Duration, patience, absl::Milliseconds(300),
          "how long the consumer in step 3 waits before it calls it a hang");

namespace {

// A message with the id of its arrow on a --trace timeline (0 when not tracing).
template <typename T>
struct Message {
  T value;
  uint64_t flow = 0;
};

// Step 1: the tutorial's produce(c) / consumer(), one message at a time. Returns
// whether the nine lines came in the tutorial's order (each waits for the one before).
bool TutorialExchange() {
  threading::StdBoundedQueue<Message<int>> requests(1);
  threading::StdBoundedQueue<Message<std::string>> replies(1);
  std::jthread consumer([&] {
    trace::NameThread("consumer");
    while (true) {
      std::optional<Message<int>> n;
      {
        trace::Span wait("waiting for a message (n = yield r)", trace::kWait);
        n = requests.Pop();
      }
      if (!n) break;
      trace::Span span(absl::StrFormat("consume %d", n->value));
      trace::FlowIn("message", n->flow);
      lesson::Tutorial("[CONSUMER] Consuming %d...", n->value);
      const uint64_t reply = trace::NewId();
      trace::FlowOut("reply", reply);
      replies.Push({"200 OK", reply});
    }
  });
  trace::NameThread("producer (main)");
  bool replied = true;
  for (int n = 1; n <= 3; ++n) {
    trace::Span span(absl::StrFormat("produce %d", n));
    lesson::Tutorial("[PRODUCER] Producing %d...", n);
    const uint64_t message = trace::NewId();
    trace::FlowOut("message", message);
    requests.Push({n, message});  // c.send(n) ...
    std::optional<Message<std::string>> r;
    {
      trace::Span wait("waiting for the reply", trace::kWait);
      r = replies.Pop();  // ... and its return value
    }
    if (r) trace::FlowIn("reply", r->flow);
    replied = replied && r.has_value();
    lesson::Tutorial("[PRODUCER] Consumer return: %s", r ? r->value : "(none)");
  }
  requests.Close();  // c.close()
  return replied;
}

struct Throughput {
  double items_per_second = 0;
  bool sum_correct = false;
  threading::QueueWaits waits;
};

// Step 2: the producer makes `items` numbers as fast as it can; the consumer adds them.
template <typename Queue>
Throughput MeasureThroughput(const char* name, int items, int capacity) {
  Queue queue(static_cast<size_t>(capacity));
  long long sum = 0;
  lesson::Stopwatch watch;
  {
    std::jthread consumer([&] {
      trace::NameThread(absl::StrFormat("consumer (%s)", name));
      trace::Span span("pop and add, until closed");
      while (std::optional<int> item = queue.Pop()) sum += *item;
    });
    trace::Span span(absl::StrFormat("push %d items (%s)", items, name));
    for (int i = 1; i <= items; ++i) queue.Push(i);
    queue.Close();
  }
  const long long expected = static_cast<long long>(items) * (items + 1) / 2;
  return {items / watch.Seconds(), sum == expected, queue.waits()};
}

// Step 3: the producer returns without Close(); the consumer cannot know nothing more
// will come. Returns how long the consumer waited before it gave up (0 if it did not).
double ForgottenClose(std::chrono::nanoseconds patience, int& received) {
  threading::StdBoundedQueue<int> queue(4);
  std::jthread producer([&] {
    trace::NameThread("producer (step 3)");
    for (int n = 1; n <= 3; ++n) queue.Push(n);
    lesson::Print("[PRODUCER] done, and forgot to call Close()");
  });
  received = 0;
  while (true) {
    lesson::Stopwatch waited;
    std::optional<int> item;
    {
      trace::Span wait("PopFor(patience)", trace::kWait);
      item = queue.PopFor(patience);  // Pop() here would never return.
    }
    if (item.has_value()) {
      ++received;
      continue;
    }
    if (queue.closed()) return 0;
    trace::Instant("HANG detected: the queue is still open");
    const double waited_ms = waited.Seconds() * 1e3;
    lesson::Print("[CONSUMER] got %d items, then waited %.0f ms for more; the queue is still "
                  "open: HANG detected",
                  received, waited_ms);
    return waited_ms;
  }
}

}  // namespace

int main(int argc, char** argv) {
  lesson::ParseFlags(argc, argv, "The lock-and-condition-variable producer-consumer queue.");
  lesson::RequireInRange(FLAGS_items, 1, 10'000'000);
  lesson::RequireInRange(FLAGS_capacity, 1, 1'000'000);
  lesson::RequireOneOf(FLAGS_queue, {"std", "absl", "both"});
  lesson::RequireInRange(FLAGS_patience, absl::Milliseconds(10), absl::Seconds(10));
  const int items = absl::GetFlag(FLAGS_items);
  const int capacity = absl::GetFlag(FLAGS_capacity);
  const std::string which = absl::GetFlag(FLAGS_queue);

  lesson::Title("传统生产者-消费者模型", "The classic producer-consumer, with threads");

  lesson::Step("1. The tutorial's exchange: two threads, a request queue and a reply queue");
  lesson::Stopwatch exchange;
  const bool replied = TutorialExchange();
  const double exchange_ms = exchange.Seconds() * 1e3;
  lesson::Print("(3 round trips between the two threads took %.2f ms)", exchange_ms);
  lesson::Print("CPython 3.11.7 prints these nine lines for the tutorial's generator version "
                "too, on one thread.");

  lesson::Step("2. %d items through a queue of %d", items, capacity);
  lesson::Table table({{lesson::Tr("queue"), lesson::Table::kLeft},
                       {lesson::Tr("items/s"), lesson::Table::kRight},
                       {lesson::Tr("sum"), lesson::Table::kLeft},
                       {lesson::Tr("producer waited"), lesson::Table::kRight},
                       {lesson::Tr("consumer waited"), lesson::Table::kRight}});
  bool all_correct = true;
  long most_waits = 0;
  auto row = [&](const char* name, const Throughput& t) {
    all_correct = all_correct && t.sum_correct;
    most_waits = std::max({most_waits, t.waits.producer_waits, t.waits.consumer_waits});
    table.AddRow({name, absl::StrFormat("%.0f", t.items_per_second),
                  t.sum_correct ? lesson::Tr("correct").str() : lesson::Tr("WRONG").str(),
                  absl::StrFormat("%d", t.waits.producer_waits),
                  absl::StrFormat("%d", t.waits.consumer_waits)});
  };
  if (which != "absl") {
    row("std::mutex + std::condition_variable",
        MeasureThroughput<threading::StdBoundedQueue<int>>("std", items, capacity));
  }
  if (which != "std") {
    row("absl::Mutex + absl::Condition",
        MeasureThroughput<threading::AbslBoundedQueue<int>>("absl", items, capacity));
  }
  table.Print();

  lesson::Step("3. 一不小心就会死锁: the producer forgets to Close()");
  int received = 0;
  const double hang_ms =
      ForgottenClose(absl::ToChronoNanoseconds(absl::GetFlag(FLAGS_patience)), received);

  std::vector<lesson::Text> points;
  points.push_back(replied
                       ? lesson::Format(
                             "Step 1 printed the tutorial's nine lines in its order: each "
                             "message waited for its reply. Each line was a hand-off between "
                             "two threads through a lock and a wake-up: 3 round trips took "
                             "%.2f ms. The coroutine version (//coroutine:producer_consumer) "
                             "does it on one thread with no lock at all.",
                             exchange_ms)
                       : lesson::Tr("Step 1 lost a reply: that is a bug in this lesson, "
                                    "please report it."));
  points.push_back(all_correct
                       ? lesson::Format(
                             "Step 2: the sum was right for all %d items: the lock and the "
                             "waiting make the hand-off safe. The wait counts show how often a "
                             "side found the queue full (producer) or empty (consumer): up to "
                             "%d times with room for %d.",
                             items, static_cast<int>(most_waits), capacity)
                       : lesson::Tr("Step 2 got a WRONG sum: items were lost or doubled. That "
                                    "is a bug in this lesson, please report it."));
  points.push_back(lesson::Tr(
      "std::condition_variable needs a notify after every change and a loop around every "
      "wait; absl::Mutex::Await re-checks the condition itself. I would choose absl::Mutex "
      "where Abseil is already a dependency (nothing to forget), std:: otherwise."));
  points.push_back(hang_ms > 0
                       ? lesson::Format(
                             "Step 3 is the tutorial's '一不小心就会死锁': the consumer got %d "
                             "items, then waited %.0f ms for a fourth that could never come. "
                             "Without a timeout it would wait forever. Close() (or a sentinel "
                             "item) is the fix; a timeout only detects it.",
                             received, hang_ms)
                       : lesson::Tr("In step 3 the queue was closed after all: that is a bug "
                                    "in this lesson, please report it."));
  points.push_back(lesson::Tr(
      "--trace=pc.json draws step 1's hand-overs as arrows from producer to consumer and back."));
  lesson::Notice(points);
  return 0;
}
