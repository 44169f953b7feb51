// coroutine/conclusions.h — what the tutorial's coroutine lessons conclude from their own run.
//
// Each lesson measures (times, counts of coroutines asleep at once, updates lost, kernel
// context switches) and closes with points chosen from those figures, never with a fixed
// sentence that a busy machine or an unusual flag could make false. The choice lives here,
// apart from the lessons, so that conclusions_test.cc can feed it synthetic figures (a quiet
// machine, a stalled one, --sleep=0, one coroutine, ...) and check the sentence chosen.
//
// Every function returns the points in the reader's language (lesson::Text), in the order
// the lesson prints them.
#ifndef COROUTINE_CONCLUSIONS_H_
#define COROUTINE_CONCLUSIONS_H_

#include <optional>
#include <string>
#include <vector>

#include "common/message.h"

namespace coroutine {

// //coroutine:producer_consumer: how often control changed hands, and what the kernel
// counted for the thread meanwhile (getrusage RUSAGE_THREAD).
struct ProducerConsumerFigures {
  int hand_overs = 0;          // resumes of the consumer plus its yields back
  long voluntary_switches = 0;    // the thread blocked (e.g. writing to a full pipe)
  long involuntary_switches = 0;  // the thread was preempted
  bool same_thread = true;     // producer and consumer ran on one thread
};
std::vector<lesson::Text> ProducerConsumerConclusions(const ProducerConsumerFigures& f);

// //coroutine:hello.
struct HelloFigures {
  bool ran_before_loop = false;  // Hello()'s body printed before the loop drove it
  double sleep_s = 0;            // what it asked for
  double gap_s = 0;              // measured from "Hello world!" to "Hello again!"
  double load_average = 0;       // 1-minute load average, read after the run
};
std::vector<lesson::Text> HelloConclusions(const HelloFigures& f);

// //coroutine:gather.
struct GatherFigures {
  int coroutines = 0;
  double sleep_s = 0;           // each one's sleep
  double together_s = 0;        // all of them under one wait()
  int asleep_most = 0;          // the most that were asleep at the same moment
  int threads = 0;              // distinct threads that ran a hello()
  std::optional<double> one_by_one_s = std::nullopt;  // the same awaited one after another, if run
  double load_average = 0;
};
std::vector<lesson::Text> GatherConclusions(const GatherFigures& f);

// //coroutine:tasks: what wait(FIRST_COMPLETED) and gather returned.
struct TasksFigures {
  std::vector<std::string> first_done{};    // wait(FIRST_COMPLETED)'s done set
  int first_pending = 0;                    // ... and how many were pending
  std::vector<std::string> finish_order{};  // the order the gathered jobs finished in
  std::vector<std::string> gather_results{};// the order gather returned their results in
  bool wait_kept_exception = false;         // a done task of wait held the exception
  bool gather_threw = false;                // gather raised the failing job's exception
  bool sibling_finished_after = false;      // the other job still finished afterwards
};
std::vector<lesson::Text> TasksConclusions(const TasksFigures& f);

// //coroutine:echo.
struct EchoFigures {
  int clients = 0;
  int messages = 0;        // per client
  double pause_s = 0;      // between a client's messages
  int served = 0;          // sessions that ran to the end
  int open_most = 0;       // the most connections open at one moment
  int round_trips = 0;     // echoes that came back intact
  int mismatches = 0;
  int threads = 0;         // distinct threads that ran a session or a client
  double wall_s = 0;
};
std::vector<lesson::Text> EchoConclusions(const EchoFigures& f);

// //coroutine:async_race: the counter after each of the three parts.
struct RaceFigures {
  int workers = 0;
  int increments = 0;      // per worker
  double io_s = 0;         // the await between read and write
  int no_await = 0;        // part 1: counter = counter + 1, no await inside
  int racing = 0;          // part 2: read, await, write, no lock
  int locked = 0;          // part 3: the same under an AsyncMutex
  double racing_s = 0;
  double locked_s = 0;
};
std::vector<lesson::Text> RaceConclusions(const RaceFigures& f);

}  // namespace coroutine

#endif  // COROUTINE_CONCLUSIONS_H_
