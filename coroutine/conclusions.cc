#include "coroutine/conclusions.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "common/message.h"

namespace coroutine {

using lesson::Format;
using lesson::Text;
using lesson::Tr;

std::vector<Text> ProducerConsumerConclusions(const ProducerConsumerFigures& f) {
  std::vector<Text> points;
  points.push_back(
      f.same_thread
          ? Tr("Producer and consumer ran on one thread, without a queue or a lock: send() is "
               "a call that resumes the consumer where it stopped, and its co_yield returns to "
               "the producer (the tutorial: the whole flow has no lock and runs on one thread).")
          : Tr("Producer and consumer ran on different threads: that is a bug in this lesson, "
               "please report it."));
  const long kernel = f.voluntary_switches + f.involuntary_switches;
  if (kernel == 0) {
    points.push_back(Format(
        "Control changed hands %d times, and the kernel switched this thread 0 times "
        "meanwhile: every switch was a send() or a co_yield written in the program. That is "
        "what the tutorial means by 'coroutines are controlled by the programmer'; threads are "
        "switched by the kernel.",
        f.hand_overs));
  } else {
    points.push_back(Format(
        "Control changed hands %d times; the kernel switched this thread %d times meanwhile "
        "(%d while it waited, e.g. to write its output, %d preempted). Those paused producer "
        "and consumer together and never moved control from one to the other; only the "
        "program's send() and co_yield did that, so the programmer controls the switches.",
        f.hand_overs, kernel, f.voluntary_switches, f.involuntary_switches));
  }
  points.push_back(Tr(
      "Compare //thread:producer_consumer, the tutorial's traditional producer-consumer "
      "model: two threads, a queue, a lock and a condition variable, and the kernel deciding "
      "who runs."));
  return points;
}

std::vector<Text> HelloConclusions(const HelloFigures& f) {
  std::vector<Text> points;
  points.push_back(
      f.ran_before_loop
          ? Tr("Hello()'s body ran before the loop drove it: that is a bug in this lesson, "
               "please report it.")
          : Tr("Calling Hello() ran nothing: its first line appeared only once the loop drove "
               "it. A coroutine cannot run by itself (the tutorial's explanation 2: "
               "run_until_complete wraps it in a task)."));
  const double extra_ms = (f.gap_s - f.sleep_s) * 1e3;
  if (f.sleep_s == 0) {
    points.push_back(Format(
        "With --sleep=0 the co_await only handed control to the loop, which resumed hello() "
        "at once: %.3f ms between the two lines.",
        f.gap_s * 1e3));
  } else if (extra_ms < 0) {
    points.push_back(Format(
        "The gap (%.3f s) is shorter than the sleep asked for (%.3f s): a bug in the loop's "
        "timers, please report it.",
        f.gap_s, f.sleep_s));
  } else if (extra_ms <= 20) {
    points.push_back(Format(
        "At co_await hello() gave control back to the loop, which had nothing else to run "
        "and waited in epoll until the timer was due (the tutorial's explanation 1). The "
        "measured gap, %.3f s, is the sleep (%.3f s) plus %.2f ms.",
        f.gap_s, f.sleep_s, extra_ms));
  } else {
    points.push_back(Format(
        "At co_await hello() gave control back to the loop, which waited in epoll until the "
        "timer was due. The measured gap, %.3f s, is the sleep (%.3f s) plus %.1f ms, more "
        "than a timer usually adds: the machine was busy (load average %.2f), so the loop's "
        "thread got the CPU late. A sleep never ends early.",
        f.gap_s, f.sleep_s, extra_ms, f.load_average));
  }
  return points;
}

std::vector<Text> GatherConclusions(const GatherFigures& f) {
  std::vector<Text> points;
  const double sum = f.coroutines * f.sleep_s;
  if (f.coroutines == 1) {
    points.push_back(Format(
        "With one coroutine there is nothing to overlap: it took %.3f s for a %.3f s sleep. "
        "Run it with --coroutines=3, the tutorial's three.",
        f.together_s, f.sleep_s));
  } else if (f.sleep_s == 0) {
    points.push_back(Format(
        "With --sleep=0 nobody waits, so there is nothing to overlap: the %d coroutines took "
        "%.3f s in all, each only handing control to the loop once.",
        f.coroutines, f.together_s));
  } else if (f.asleep_most == f.coroutines && f.together_s <= 1.5 * f.sleep_s) {
    points.push_back(Format(
        "All %d were asleep at the same time, so the whole took %.3f s: about one sleep "
        "(%.3f s), not the sum of the sleeps (%.3f s). While one waits, the loop runs the "
        "others (the tutorial's explanation 1).",
        f.coroutines, f.together_s, f.sleep_s, sum));
  } else if (f.together_s < sum) {
    points.push_back(Format(
        "%d of the %d were asleep at the same time, and the whole took %.3f s: %.1f sleeps, "
        "more than one sleep (%.3f s) though less than the sum (%.3f s). The loop's thread "
        "got less CPU than it needed (load average %.2f), or starting %d coroutines took that "
        "long; on a quiet machine it is close to one sleep.",
        f.asleep_most, f.coroutines, f.together_s, f.together_s / f.sleep_s, f.sleep_s, sum,
        f.load_average, f.coroutines));
  } else {
    points.push_back(Format(
        "This run took %.3f s, not less than the sum of the sleeps (%.3f s): the sleeps did "
        "not overlap (at most %d asleep at once). That is a bug in the loop, please report it.",
        f.together_s, sum, f.asleep_most));
  }
  points.push_back(
      f.threads == 1
          ? Format("Every line shows the same thread: one thread ran all %d coroutines, "
                   "switching at each co_await (the tutorial's explanation 2).",
                   f.coroutines)
          : Format("The coroutines ran on %d threads: that is a bug in this lesson, please "
                   "report it.",
                   f.threads));
  if (f.one_by_one_s && f.coroutines > 1 && f.sleep_s > 0 && f.together_s > 0) {
    points.push_back(Format(
        "Awaited one after another, the same %d took %.3f s, %.1f times as long: each await "
        "waits for its coroutine to end, so the sleeps add up. Concurrency comes from having "
        "several tasks on the loop at once, not from co_await itself.",
        f.coroutines, *f.one_by_one_s, *f.one_by_one_s / f.together_s));
  }
  points.push_back(Tr(
      "The tutorial's program no longer runs on CPython 3.11: asyncio.wait() refuses bare "
      "coroutines (TypeError: Passing coroutines is forbidden, use tasks explicitly.). Write "
      "asyncio.gather(hello(), hello(), hello()), or wrap each one with "
      "asyncio.create_task(), as //coroutine:run and //coroutine:tasks do."));
  return points;
}

std::vector<Text> TasksConclusions(const TasksFigures& f) {
  std::vector<Text> points;
  points.push_back(Tr(
      "create_task and ensure_future both wrap the coroutine in a task that the loop runs; "
      "ensure_future also accepts a future and hands it back unchanged."));
  const std::string done = absl::StrJoin(f.first_done, ", ");
  if (f.first_done.size() == 1) {
    points.push_back(Format(
        "wait(FIRST_COMPLETED) came back as soon as one job was done (%s), with %d pending; "
        "waiting on the pending ones collected the rest. wait never raises the tasks' "
        "exceptions: it returns the tasks.",
        done, f.first_pending));
  } else {
    points.push_back(Format(
        "wait(FIRST_COMPLETED) came back with %d jobs done (%s) and %d pending: their "
        "timers fell due in the same turn of the loop (the machine stalled for longer than a "
        "unit), and wait returns everything done by then. wait never raises the tasks' "
        "exceptions: it returns the tasks.",
        static_cast<int>(f.first_done.size()), done, f.first_pending));
  }
  const std::string results = absl::StrJoin(f.gather_results, ", ");
  const std::string finished = absl::StrJoin(f.finish_order, ", ");
  points.push_back(
      f.finish_order == f.gather_results
          ? Format("gather returned [%s], the order of its arguments, which here was also the "
                   "order the jobs finished in.",
                   results)
          : Format("gather returned [%s], the order of its arguments, although the jobs "
                   "finished in the order %s.",
                   results, finished));
  points.push_back(
      f.wait_kept_exception && f.gather_threw && f.sibling_finished_after
          ? Tr("When a job failed, wait kept the exception inside the done task; gather "
               "raised it at once and did not cancel the other job, which still finished "
               "afterwards (asyncio.gather does the same).")
          : Tr("The failure part did not behave as asyncio does (wait keeps the exception, "
               "gather raises it, the other job finishes): that is a bug in this lesson, please "
               "report it."));
  points.push_back(Tr(
      "The tutorial says asyncio.wait accepts a list of coroutines; since CPython 3.11 it "
      "raises TypeError for them (3.9 and 3.10 warned): pass tasks. asyncio.gather still wraps "
      "bare coroutines in tasks itself."));
  return points;
}

std::vector<Text> EchoConclusions(const EchoFigures& f) {
  std::vector<Text> points;
  const int echoes = f.clients * f.messages;
  if (f.served == f.clients && f.round_trips == echoes && f.mismatches == 0) {
    points.push_back(Format(
        "All %d connections were served and all %d echoes came back intact.", f.clients,
        echoes));
  } else {
    points.push_back(Format(
        "Only %d of %d connections ran to the end, and %d of %d echoes came back intact "
        "(%d wrong): something failed, see the errors above.",
        f.served, f.clients, f.round_trips, echoes, f.mismatches));
  }
  if (f.threads != 1) {
    points.push_back(Format("The clients and sessions ran on %d threads: that is a bug in this "
                            "lesson, please report it.",
                            f.threads));
  } else if (f.clients == 1) {
    points.push_back(Tr(
        "One client, one connection: nothing here runs at the same time. Run more --clients "
        "to see one thread keep many connections open at once."));
  } else if (f.open_most == f.clients) {
    points.push_back(Format(
        "One thread had all %d connections open at once: nobody blocked in read() or "
        "write(); a coroutine that would have blocked was suspended until epoll said its "
        "socket was ready, and the thread served another meanwhile.",
        f.clients));
  } else {
    points.push_back(Format(
        "At most %d of the %d connections were open at once: the first clients were done "
        "before the last had connected (more --messages or a longer --pause keeps them all "
        "open). One thread served them all, never blocking in read() or write().",
        f.open_most, f.clients));
  }
  const double one = f.messages * f.pause_s;
  const double sum = f.clients * one;
  if (f.pause_s == 0) {
    points.push_back(Format(
        "With --pause=0 no client waits between its messages: the %.3f s are the round trips "
        "themselves, interleaved on one thread.",
        f.wall_s));
  } else if (f.clients > 1 && f.wall_s <= 1.5 * one) {
    points.push_back(Format(
        "The wall time, %.3f s, is about one client's pauses (%.3f s), far below the sum over "
        "all clients (%.3f s): the waits overlapped, as the sleeps did in //coroutine:gather, "
        "but on real sockets.",
        f.wall_s, one, sum));
  } else if (f.clients > 1 && f.wall_s < sum) {
    points.push_back(Format(
        "The wall time, %.3f s, is %.1f times one client's pauses (%.3f s) but below the sum "
        "over all clients (%.3f s): the waits overlapped, and the rest was the loop's own work "
        "(or a busy machine).",
        f.wall_s, f.wall_s / one, one, sum));
  } else {
    points.push_back(Format(
        "The wall time, %.3f s, against %.3f s of pauses per client: with %d client(s) there is "
        "little to overlap; run more --clients to see the waits overlap.",
        f.wall_s, one, f.clients));
  }
  points.push_back(Tr(
      "TCP is a byte stream: a reply may arrive in pieces, so each client reads until it has "
      "the whole echo. Only 127.0.0.1 is used; nothing listens on the network."));
  return points;
}

std::vector<Text> RaceConclusions(const RaceFigures& f) {
  std::vector<Text> points;
  const int expected = f.workers * f.increments;
  points.push_back(
      f.no_await == expected
          ? Format("Part 1, with no await between reading and writing, kept all %d updates: no "
                   "other coroutine can run in between, so there the tutorial's 'no lock needed' "
                   "holds.",
                   expected)
          : Format("Part 1 lost %d updates although nothing was awaited inside: that is a bug "
                   "in this lesson, please report it.",
                   expected - f.no_await));
  const int lost = expected - f.racing;
  if (f.workers == 1) {
    points.push_back(Tr(
        "With one worker nothing can run between its read and its write, so part 2 lost "
        "nothing: try --workers=4."));
  } else if (lost > 0) {
    points.push_back(Format(
        "Part 2 lost %d of %d updates on a single thread: each worker read the counter, "
        "awaited, and wrote back what it had read plus one, after the others had read the same "
        "value. Coroutines switch only at an await, but one await between a read and a write "
        "is enough.",
        lost, expected));
  } else {
    points.push_back(Format(
        "Part 2 lost nothing this time (%d of %d): the workers never overlapped between a "
        "read and a write. That is not what the loop should do; please report it.",
        f.racing, expected));
  }
  if (f.locked != expected) {
    points.push_back(Format(
        "Part 3 lost %d updates under the AsyncMutex: that is a bug, please report it.",
        expected - f.locked));
  } else if (f.io_s > 0 && f.workers > 1) {
    points.push_back(Format(
        "The AsyncMutex kept all %d updates. The price: the read-await-write sections ran one "
        "at a time, so part 3 took %.3f s against part 2's %.3f s (workers x increments x io "
        "= %.3f s of waiting, one after another).",
        expected, f.locked_s, f.racing_s, expected * f.io_s));
  } else {
    points.push_back(Format(
        "The AsyncMutex kept all %d updates (part 3: %.3f s; part 2: %.3f s).", expected,
        f.locked_s, f.racing_s));
  }
  points.push_back(Tr(
      "This is not a C++ data race (no two threads touch the counter, so ThreadSanitizer has "
      "nothing to report): it is a logic race, a race condition, which no sanitizer finds."));
  return points;
}

}  // namespace coroutine
