// coroutine/queue.cc — asyncio.Queue: producer and consumer as tasks (beyond the tutorial)
//
// The tutorial shows the producer-consumer model twice: the "traditional" one, two threads
// around a queue with a lock (//thread:producer_consumer), and the generator one, where
// the producer send()s each item straight into the consumer (//coroutine:producer_consumer).
// asyncio has a third, the one real programs use when both sides also wait for I/O:
// asyncio.Queue(maxsize). put() waits while the queue is full (backpressure: a fast
// producer cannot run away from a slow consumer), get() while it is empty; task_done()
// and join() let the producer wait until every item has been handled.
//
// Part 1 runs that on the event loop. Part 2 closes the triangle: the same hand-over of
// N items, done the three ways, measured in this run: time per item, and how often the
// kernel had to switch threads (getrusage: context switches).
//
// In C++: coro::Queue<T> (coro/async_queue.h) with Put/Get/TaskDone/Join;
// threading::StdBoundedQueue (std::mutex + two condition variables), the queue
// //thread:producer_consumer uses; and coro::Generator<std::string, int>, the consumer of
// //coroutine:producer_consumer.
//
//   bazel run -c opt //coroutine:queue
//   bazel run //coroutine:queue -- --maxsize=1 --items=4 --trace=/tmp/queue.json
#include <sys/resource.h>

#include <algorithm>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "common/flags.h"
#include "common/lesson.h"
#include "common/run_conditions.h"
#include "common/stopwatch.h"
#include "common/table.h"
#include "common/trace.h"
#include "coroutine/coro/async_queue.h"
#include "coroutine/coro/event_loop.h"
#include "coroutine/coro/future.h"
#include "coroutine/coro/lazy_generator.h"
#include "coroutine/coro/task.h"
#include "thread/bounded_queue.h"

ABSL_FLAG(int, items, 6, "how many items the producer makes in part 1");
ABSL_FLAG(int, maxsize, 2, "the queue's maxsize (part 1) and capacity (part 2)");
ABSL_FLAG(absl::Duration, work, absl::Milliseconds(50),
          "how long the consumer works on each item in part 1, e.g. 50ms");
ABSL_FLAG(int, measure_items, 200000, "how many items each way hands over in part 2");

namespace {

lesson::Stopwatch part_clock;
int Ms() { return static_cast<int>(part_clock.Seconds() * 1000 + 0.5); }

// --- Part 1: asyncio.Queue on the loop ----------------------------------------------------
coro::Task<void> Producer(coro::Queue<int>& queue, int items, int* waits) {
  for (int item = 1; item <= items; ++item) {
    if (queue.full()) {
      ++*waits;
      lesson::Print("  [%4d ms] producer: queue full (%d items), put() waits", Ms(),
                    static_cast<int>(queue.size()));
    }
    co_await queue.Put(item);
    lesson::Print("  [%4d ms] producer: put item %d (queue: %d)", Ms(), item,
                  static_cast<int>(queue.size()));
  }
  lesson::Print("  [%4d ms] producer: all %d items put; join() waits for the consumer", Ms(),
                items);
  co_await queue.Join();
  lesson::Print("  [%4d ms] producer: join() returned: every item was handled", Ms());
}

coro::Task<void> Consumer(coro::Queue<int>& queue, coro::Duration work) {
  for (;;) {
    int item = co_await queue.Get();
    lesson::Print("  [%4d ms] consumer: got item %d", Ms(), item);
    co_await coro::Sleep(work);  // handling it, e.g. writing it to a socket
    queue.TaskDone();
  }
}

coro::Task<int> QueueDemo(int items, int maxsize, coro::Duration work) {
  coro::Queue<int> queue(static_cast<std::size_t>(maxsize));
  int waits = 0;
  coro::Future<void> consumer = coro::CreateTask(Consumer(queue, work), "consumer");
  co_await Producer(queue, items, &waits);
  consumer.Cancel();  // it would wait for an item for ever: stop it
  try {
    co_await consumer;
  } catch (const coro::CancelledError&) {
    lesson::Print("  [%4d ms] consumer: cancelled while waiting in get()", Ms());
  }
  co_return waits;
}

// --- Part 2: the triangle, measured -------------------------------------------------------
struct Way {
  std::string name;  // translated
  int threads = 0;
  double seconds = 0;
  long context_switches = 0;
  long long checksum = 0;  // the consumer's sum: proves every item arrived
};

long ContextSwitches() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  return u.ru_nvcsw + u.ru_nivcsw;
}

Way WithThreads(int items, int capacity) {
  Way way{lesson::Tr("threads + lock + condition variables").str(), 2};
  threading::StdBoundedQueue<int> queue(static_cast<std::size_t>(capacity));
  const long switches_before = ContextSwitches();
  lesson::Stopwatch watch;
  {
    std::jthread producer([&] {
      for (int i = 1; i <= items; ++i) queue.Push(i);
      queue.Close();
    });
    while (std::optional<int> item = queue.Pop()) way.checksum += *item;
  }
  way.seconds = watch.Seconds();
  way.context_switches = ContextSwitches() - switches_before;
  return way;
}

// The consumer of //coroutine:producer_consumer, reduced to a sum.
coro::Generator<long long, int> Summer() {
  long long sum = 0;
  for (;;) {
    int item = co_yield sum;
    sum += item;
  }
}

Way WithGenerator(int items) {
  Way way{lesson::Tr("generator send() (no queue)").str(), 1};
  const long switches_before = ContextSwitches();
  lesson::Stopwatch watch;
  coro::Generator<long long, int> consumer = Summer();
  consumer.Next();  // c.send(None): run to the first yield
  for (int i = 1; i <= items; ++i) way.checksum = *consumer.Send(i);
  way.seconds = watch.Seconds();
  way.context_switches = ContextSwitches() - switches_before;
  return way;
}

coro::Task<void> QueueProducer(coro::Queue<int>& queue, int items) {
  for (int i = 1; i <= items; ++i) co_await queue.Put(i);
}

coro::Task<long long> QueueConsumer(coro::Queue<int>& queue, int items) {
  long long sum = 0;
  for (int i = 0; i < items; ++i) sum += co_await queue.Get();
  co_return sum;
}

coro::Task<long long> QueueHandOver(int items, int capacity) {
  coro::Queue<int> queue(static_cast<std::size_t>(capacity));
  coro::Future<long long> consumer = coro::CreateTask(QueueConsumer(queue, items));
  co_await QueueProducer(queue, items);
  co_return co_await consumer;
}

Way WithAsyncQueue(int items, int capacity) {
  Way way{lesson::Tr("asyncio.Queue on the event loop").str(), 1};
  const long switches_before = ContextSwitches();
  lesson::Stopwatch watch;
  way.checksum = coro::Run(QueueHandOver(items, capacity));
  way.seconds = watch.Seconds();
  way.context_switches = ContextSwitches() - switches_before;
  return way;
}

double NanosPerItem(const Way& w, int items) { return w.seconds * 1e9 / items; }

}  // namespace

int main(int argc, char** argv) {
  lesson::ParseFlags(argc, argv,
                     "asyncio.Queue between tasks, and the three producer-consumer models side "
                     "by side, measured.");
  lesson::RequireInRange(FLAGS_items, 1, 1000);
  lesson::RequireInRange(FLAGS_maxsize, 1, 1000);
  lesson::RequireInRange(FLAGS_work, absl::ZeroDuration(), absl::Seconds(1));
  lesson::RequireInRange(FLAGS_measure_items, 1000, 100'000'000);
  const int items = absl::GetFlag(FLAGS_items);
  const int maxsize = absl::GetFlag(FLAGS_maxsize);
  // A traced run records every wait and wake of part 2: that would be the measurement.
  const bool traced = trace::Enabled();
  const int measure = traced ? std::min(2000, absl::GetFlag(FLAGS_measure_items))
                             : absl::GetFlag(FLAGS_measure_items);
  const coro::Duration work = absl::ToChronoNanoseconds(absl::GetFlag(FLAGS_work));
  lesson::RunConditions conditions = lesson::RunConditions::Observe();

  lesson::Title("队列（教程之外）", "asyncio.Queue: producer and consumer as tasks");

  lesson::Step("1. asyncio.Queue(maxsize=%d): the producer puts %d items, the consumer works %d "
               "ms on each",
               maxsize, items,
               static_cast<int>(absl::ToInt64Milliseconds(absl::GetFlag(FLAGS_work))));
  part_clock.Reset();
  const int producer_waits = coro::Run(QueueDemo(items, maxsize, work));

  lesson::Step("2. The same hand-over of %d items, three ways (capacity %d where there is a "
               "queue)",
               measure, maxsize);
  if (traced) {
    lesson::Print("(a traced run hands over only %d items here: recording every hand-over "
                  "would cost more than the hand-overs, and the times below include it)",
                  measure);
  }
  std::vector<Way> ways = {WithThreads(measure, maxsize), WithGenerator(measure),
                           WithAsyncQueue(measure, maxsize)};
  const long long expected = static_cast<long long>(measure) * (measure + 1) / 2;
  lesson::Table table({{lesson::Tr("way"), lesson::Table::kLeft},
                       {lesson::Tr("threads"), lesson::Table::kRight},
                       {lesson::Tr("time (ms)"), lesson::Table::kRight},
                       {lesson::Tr("ns per item"), lesson::Table::kRight},
                       {lesson::Tr("context switches"), lesson::Table::kRight},
                       {lesson::Tr("all items arrived"), lesson::Table::kLeft}});
  bool all_arrived = true;
  for (const Way& w : ways) {
    all_arrived = all_arrived && w.checksum == expected;
    table.AddRow({w.name, absl::StrFormat("%d", w.threads), absl::StrFormat("%.1f", w.seconds * 1e3),
                  absl::StrFormat("%.0f", NanosPerItem(w, measure)),
                  absl::StrFormat("%d", w.context_switches),
                  (w.checksum == expected ? lesson::Tr("yes") : lesson::Tr("NO")).str()});
  }
  table.Print();
  conditions.Print();

  const Way& threads = ways[0];
  const Way& generator = ways[1];
  const Way& queue = ways[2];
  std::vector<lesson::Text> points;
  points.push_back(
      producer_waits > 0
          ? lesson::Format("Backpressure: the producer found the queue full %d time(s) and its "
                           "put() waited, so it could never run more than %d item(s) ahead of "
                           "the consumer. join() returned only after the last task_done().",
                           producer_waits, maxsize)
          : lesson::Format("The queue never filled (maxsize %d, %d items), so put() never "
                           "waited; try --maxsize=1.",
                           maxsize, items));
  points.push_back(lesson::Format(
      "Per item: %.0f ns with threads, %.0f ns with a generator, %.0f ns with asyncio.Queue on "
      "the loop. The threads' hand-over took %d context switches for %d items: each wait in the "
      "lock's queue goes through the kernel. The other two stayed on one thread (%d and %d "
      "switches, the kernel's own).",
      NanosPerItem(threads, measure), NanosPerItem(generator, measure),
      NanosPerItem(queue, measure), threads.context_switches, measure,
      generator.context_switches, queue.context_switches));
  if (!all_arrived) {
    points.push_back(lesson::Tr("Some way lost items: that is a bug in this lesson, please "
                                "report it."));
  }
  points.push_back(lesson::Tr(
      "When to choose which. A generator when the consumer is just the next step of the "
      "producer: no queue, no loop, the cheapest hand-over, but nothing else runs while either "
      "waits. asyncio.Queue when the producer and consumer also wait for I/O: they run on one "
      "thread with everything else on the loop, and maxsize keeps a fast producer in check. "
      "Threads and a lock when the consumer computes (it can use another core) or makes "
      "blocking calls; and a queue between processes for CPU-bound work beyond one core."));
  lesson::Notice(points);
  return 0;
}
