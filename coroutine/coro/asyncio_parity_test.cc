// coroutine/coro/asyncio_parity_test.cc — the library against asyncio, case by case.
//
// Each test starts from a small Python program, run with CPython 3.11.7 on this machine;
// the program and what it printed are in the comment above the test. The test does the
// same with this library on a VirtualClock and checks that it prints the same lines, at
// the same (virtual) times. Times are printed to a tenth of a second, as the Python
// programs print them; on the virtual clock they are exact. Python's `finally:` is an
// absl::Cleanup here; its `except CancelledError: ... raise`, a catch that rethrows.
//
// Where the library differs from asyncio on purpose, the test says so and checks the
// documented behaviour instead (search for "Differs").
#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

#include "absl/cleanup/cleanup.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "coroutine/coro/async_mutex.h"
#include "coroutine/coro/async_queue.h"
#include "coroutine/coro/async_task_group.h"
#include "coroutine/coro/clock.h"
#include "coroutine/coro/coro_testing.h"
#include "coroutine/coro/event_loop.h"
#include "coroutine/coro/future.h"
#include "coroutine/coro/gather_and_wait.h"
#include "coroutine/coro/task.h"
#include "coroutine/coro/timeout.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace coro {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

// What a test "prints": lines, and the virtual time formatted as the Python programs do.
class Printed : public TimedLog {
 public:
  using TimedLog::TimedLog;
  // " at 0.3": the time since the clock started, as Python's f"{t:.1f}".
  std::string At() const { return absl::StrFormat(" at %.1f", Seconds()); }
};

// Each case is a Python program that ends in asyncio.run(main()). Here main is a coroutine
// lambda that prints through the Printed* it is given; AsyncioRun runs it on a loop on the
// virtual clock, as asyncio.run would (Run cancels what main leaves running), and the
// test then asserts on print.lines().
class AsyncioParityTest : public ::testing::Test {
 protected:
  template <typename Main>
  void AsyncioRun(Main main) {
    coro::Run(main(&print), clock);
  }

  VirtualClock clock;
  Printed print{clock};
};

// Python's str() of a bool.
const char* Py(bool b) { return b ? "True" : "False"; }

// A list of one Future. (An initializer list inside a co_await expression trips g++ 12:
// "array used as initializer".)
template <typename T>
std::vector<Future<T>> Just(Future<T> future) {
  std::vector<Future<T>> list;
  list.push_back(std::move(future));
  return list;
}

// Python's repr of a list of strings: ['A', 'B'].
std::string PyList(const std::vector<std::string>& items) {
  std::vector<std::string> quoted;
  for (const std::string& s : items) quoted.push_back("'" + s + "'");
  return "[" + absl::StrJoin(quoted, ", ") + "]";
}

Task<std::string> Job(Printed* out, std::string name, Duration delay) {
  co_await Sleep(delay);
  (*out)(name + " finished" + out->At());
  co_return name;
}

// Python 3.11.7:
//   async def job(name, delay):
//       await asyncio.sleep(delay)
//       print(f"{name} finished at {asyncio.get_running_loop().time() - t0:.1f}")
//       return name
//   async def main():
//       global t0
//       t0 = asyncio.get_running_loop().time()
//       print(await asyncio.gather(job("A", 0.3), job("B", 0.1), job("C", 0.2)))
//   asyncio.run(main())
// prints:
//   B finished at 0.1
//   C finished at 0.2
//   A finished at 0.3
//   ['A', 'B', 'C']
TEST_F(AsyncioParityTest, GatherReturnsResultsInArgumentOrder) {
  AsyncioRun([](Printed* out) -> Task<void> {
    std::vector<std::string> results =
        co_await Gather(Job(out, "A", 300ms), Job(out, "B", 100ms), Job(out, "C", 200ms));
    (*out)(PyList(results));
  });
  EXPECT_THAT(print.lines(), ElementsAre("B finished at 0.1", "C finished at 0.2",
                                         "A finished at 0.3", "['A', 'B', 'C']"));
}

Task<std::string> Quiet(std::string name, Duration delay) {
  co_await Sleep(delay);
  co_return name;
}

std::string SortedResults(const std::vector<Future<std::string>>& futures) {
  std::vector<std::string> names;
  for (const auto& f : futures) names.push_back(f.Result());
  std::sort(names.begin(), names.end());
  return PyList(names);
}

// Python 3.11.7:
//   async def job(name, delay):
//       await asyncio.sleep(delay)
//       return name
//   async def main():
//       tasks = [asyncio.create_task(job(n, d)) for n, d in (("A", 0.3), ("B", 0.1), ("C", 0.2))]
//       done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
//       print(sorted(t.result() for t in done), len(pending))
//       done, pending = await asyncio.wait(pending)
//       print(sorted(t.result() for t in done), len(pending))
//   asyncio.run(main())
// prints:
//   ['B'] 2
//   ['A', 'C'] 0
TEST_F(AsyncioParityTest, WaitPartitionsIntoDoneAndPending) {
  AsyncioRun([](Printed* out) -> Task<void> {
    std::vector<Future<std::string>> tasks = {CreateTask(Quiet("A", 300ms)),
                                              CreateTask(Quiet("B", 100ms)),
                                              CreateTask(Quiet("C", 200ms))};
    auto first = co_await Wait(tasks, ReturnWhen::kFirstCompleted);
    (*out)(absl::StrCat(SortedResults(first.done), " ", first.pending.size()));
    auto rest = co_await Wait(first.pending);
    (*out)(absl::StrCat(SortedResults(rest.done), " ", rest.pending.size()));
  });
  EXPECT_THAT(print.lines(), ElementsAre("['B'] 2", "['A', 'C'] 0"));
}

Task<void> Step(Printed* out, std::string name) {
  (*out)(name + " starts");
  co_await Sleep(0s);
  (*out)(name + " resumes");
}

// Python 3.11.7:
//   async def step(name):
//       print(f"{name} starts")
//       await asyncio.sleep(0)
//       print(f"{name} resumes")
//   async def main():
//       tasks = [asyncio.create_task(step(n)) for n in "abc"]
//       print("main created them")
//       await asyncio.gather(*tasks)
//   asyncio.run(main())
// prints:
//   main created them
//   a starts
//   b starts
//   c starts
//   a resumes
//   b resumes
//   c resumes
TEST_F(AsyncioParityTest, TasksStartInCreationOrder) {
  AsyncioRun([](Printed* out) -> Task<void> {
    std::vector<Future<void>> tasks;
    for (const char* name : {"a", "b", "c"}) tasks.push_back(CreateTask(Step(out, name)));
    (*out)("main created them");
    co_await Gather(std::move(tasks));
  });
  EXPECT_THAT(print.lines(), ElementsAre("main created them", "a starts", "b starts", "c starts",
                                         "a resumes", "b resumes", "c resumes"));
}

Task<void> Yielder(Printed* out, std::string name) {
  for (int i = 0; i < 3; ++i) {
    (*out)(name + std::to_string(i));
    co_await Sleep(0s);
  }
}

// Python 3.11.7:
//   async def yielder(name):
//       for i in range(3):
//           print(f"{name}{i}")
//           await asyncio.sleep(0)
//   async def main():
//       await asyncio.gather(yielder("a"), yielder("b"))
//   asyncio.run(main())
// prints:
//   a0
//   b0
//   a1
//   b1
//   a2
//   b2
TEST_F(AsyncioParityTest, SleepZeroInterleaves) {
  AsyncioRun(
      [](Printed* out) -> Task<void> { co_await Gather(Yielder(out, "a"), Yielder(out, "b")); });
  EXPECT_THAT(print.lines(), ElementsAre("a0", "b0", "a1", "b1", "a2", "b2"));
  EXPECT_EQ(clock.Elapsed(), 0s);
}

Task<void> Sleeper(Printed* out, std::string name) {
  co_await Sleep(100ms);
  (*out)(name);
}

// Python 3.11.7:
//   async def sleeper(name):
//       await asyncio.sleep(0.1)
//       print(name)
//   async def main():
//       await asyncio.gather(sleeper("first"), sleeper("second"), sleeper("third"))
//   asyncio.run(main())
// prints:
//   first
//   second
//   third
TEST_F(AsyncioParityTest, TimersSetInOrderFireInOrder) {
  AsyncioRun([](Printed* out) -> Task<void> {
    co_await Gather(Sleeper(out, "first"), Sleeper(out, "second"), Sleeper(out, "third"));
  });
  // On the virtual clock the three deadlines are exactly equal: ties fire in the order
  // the timers were set.
  EXPECT_THAT(print.lines(), ElementsAre("first", "second", "third"));
}

Task<int> Answer() {
  co_await Sleep(100ms);
  co_return 42;
}

Task<void> AwaitShared(Printed* out, std::string name, Future<int> task) {
  (*out)(absl::StrCat(name, " got ", co_await task));
}

// Python 3.11.7:
//   async def answer():
//       await asyncio.sleep(0.1)
//       return 42
//   async def waiter(name, task):
//       print(f"{name} got {await task}")
//   async def main():
//       task = asyncio.create_task(answer())
//       await asyncio.gather(waiter("w1", task), waiter("w2", task))
//   asyncio.run(main())
// prints:
//   w1 got 42
//   w2 got 42
TEST_F(AsyncioParityTest, SeveralTasksAwaitOneTask) {
  AsyncioRun([](Printed* out) -> Task<void> {
    Future<int> task = CreateTask(Answer());
    co_await Gather(AwaitShared(out, "w1", task), AwaitShared(out, "w2", task));
  });
  EXPECT_THAT(print.lines(), ElementsAre("w1 got 42", "w2 got 42"));
}

Task<void> Take(Printed* out, AsyncMutex* lock, std::string name) {
  AsyncMutex::Guard guard = co_await lock->Lock();
  (*out)(name + " holds the lock");
  co_await Sleep(100ms);
}

// Python 3.11.7:
//   async def take(lock, name):
//       async with lock:
//           print(f"{name} holds the lock")
//           await asyncio.sleep(0.1)
//   async def main():
//       lock = asyncio.Lock()
//       await asyncio.gather(take(lock, "a"), take(lock, "b"), take(lock, "c"))
//   asyncio.run(main())
// prints:
//   a holds the lock
//   b holds the lock
//   c holds the lock
TEST_F(AsyncioParityTest, LockIsTakenInArrivalOrder) {
  AsyncioRun([](Printed* out) -> Task<void> {
    AsyncMutex lock;
    co_await Gather(Take(out, &lock, "a"), Take(out, &lock, "b"), Take(out, &lock, "c"));
  });
  EXPECT_THAT(print.lines(),
              ElementsAre("a holds the lock", "b holds the lock", "c holds the lock"));
}

Task<void> Record(std::vector<std::string>* ran, std::string what) {
  ran->push_back(what);
  co_return;
}

// Python 3.11.7:
//   import asyncio, warnings
//   warnings.simplefilter("ignore")
//   ran = []
//   async def inner():
//       ran.append("inner")
//   async def outer(loop):
//       try:
//           loop.run_until_complete(inner())
//       except RuntimeError as e:
//           print("RuntimeError:", e)
//       await asyncio.sleep(0.1)
//   loop = asyncio.new_event_loop()
//   loop.run_until_complete(outer(loop))
//   loop.close()
//   print("inner ran:", ran)
// prints:
//   RuntimeError: This event loop is already running
//   inner ran: []
TEST_F(AsyncioParityTest, RunUntilCompleteOnARunningLoopIsRefusedAndRunsNothing) {
  std::vector<std::string> ran;
  EventLoop loop(clock);
  loop.RunUntilComplete(
      [](EventLoop* loop, Printed* out, std::vector<std::string>* ran) -> Task<void> {
        try {
          loop->RunUntilComplete(Record(ran, "inner"));
        } catch (const std::logic_error& e) {
          (*out)(absl::StrCat("logic_error: ", e.what()));
        }
        co_await Sleep(100ms);
      }(&loop, &print, &ran));
  loop.Close();
  EXPECT_THAT(print.lines(), ElementsAre(HasSubstr("the loop is already running")));
  EXPECT_TRUE(ran.empty());
}

// Python 3.11.7:
//   import asyncio, warnings
//   warnings.simplefilter("ignore")
//   async def inner():
//       print("inner ran")
//   async def main():
//       try:
//           asyncio.run(inner())
//       except RuntimeError as e:
//           print("RuntimeError:", e)
//   asyncio.run(main())
// prints:
//   RuntimeError: asyncio.run() cannot be called from a running event loop
TEST_F(AsyncioParityTest, RunInsideARunningLoopIsRefused) {
  std::vector<std::string> ran;
  coro::Run(
      [](VirtualClock* clock, Printed* out, std::vector<std::string>* ran) -> Task<void> {
        try {
          coro::Run(Record(ran, "inner"), *clock);
        } catch (const std::logic_error& e) {
          (*out)(absl::StrCat("logic_error: ", e.what()));
        }
        co_return;
      }(&clock, &print, &ran),
      clock);
  EXPECT_THAT(print.lines(), ElementsAre(HasSubstr("cannot be called from a running event loop")));
  EXPECT_TRUE(ran.empty());
}

Task<void> Late(Printed* out) {
  (*out)("late: first step");
  try {
    co_await Sleep(1s);
    (*out)("late: finished");
  } catch (const CancelledError&) {
    (*out)("late: cancelled");
    throw;
  }
}

// Python 3.11.7:
//   async def late():
//       print("late: first step")
//       try:
//           await asyncio.sleep(1)
//           print("late: finished")
//       except asyncio.CancelledError:
//           print("late: cancelled")
//           raise
//   async def main():
//       asyncio.create_task(late())
//       print("main returns")
//   asyncio.run(main())
//   print("run returned")
// prints:
//   main returns
//   late: first step
//   late: cancelled
//   run returned
TEST_F(AsyncioParityTest, ATaskCreatedAsMainReturnsGetsItsFirstStepThenIsCancelled) {
  AsyncioRun([](Printed* out) -> Task<void> {
    (void)CreateTask(Late(out));
    (*out)("main returns");
    co_return;
  });
  print("run returned");
  EXPECT_THAT(print.lines(),
              ElementsAre("main returns", "late: first step", "late: cancelled", "run returned"));
}

// Python 3.11.7:
//   async def main():
//       try:
//           await asyncio.wait([])
//       except ValueError as e:
//           print("ValueError:", e)
//   asyncio.run(main())
// prints:
//   ValueError: Set of Tasks/Futures is empty.
TEST_F(AsyncioParityTest, WaitOfNothingIsRefused) {
  AsyncioRun([](Printed* out) -> Task<void> {
    try {
      co_await Wait(std::vector<Future<int>>{});
    } catch (const std::invalid_argument& e) {
      (*out)(absl::StrCat("invalid_argument: ", e.what()));
    }
  });
  EXPECT_THAT(print.lines(),
              ElementsAre("invalid_argument: coro::Wait: the set of futures is empty"));
}

// Python 3.11.7:
//   async def main():
//       lock = asyncio.Lock()
//       await lock.acquire()
//       async def waiter():
//           async with lock:
//               print("waiter holds it; locked() =", lock.locked())
//       task = asyncio.create_task(waiter())
//       await asyncio.sleep(0)
//       lock.release()
//       print("after release, waiter queued: locked() =", lock.locked())
//       await task
//   asyncio.run(main())
// prints:
//   after release, waiter queued: locked() = False
//   waiter holds it; locked() = True
TEST_F(AsyncioParityTest, LockIsFreeAfterReleaseUntilTheWokenWaiterRuns) {
  AsyncioRun([](Printed* out) -> Task<void> {
    AsyncMutex lock;
    EXPECT_TRUE(lock.TryLock());
    Future<void> task = CreateTask([](Printed* out, AsyncMutex* lock) -> Task<void> {
      AsyncMutex::Guard guard = co_await lock->Lock();
      (*out)(absl::StrCat("waiter holds it; locked() = ", Py(lock->is_locked())));
    }(out, &lock));
    co_await Sleep(0s);
    lock.Unlock();
    (*out)(absl::StrCat("after release, waiter queued: locked() = ", Py(lock.is_locked())));
    EXPECT_FALSE(lock.TryLock()) << "the woken waiter is first in line";
    co_await task;
  });
  EXPECT_THAT(print.lines(), ElementsAre("after release, waiter queued: locked() = False",
                                         "waiter holds it; locked() = True"));
}

Task<void> Boom() {
  throw std::invalid_argument("boom");
  co_return;
}

// Python 3.11.7:
//   async def boom():
//       raise ValueError("boom")
//   async def main():
//       asyncio.create_task(boom(), name="boom")
//       await asyncio.sleep(0.1)
//       print("main done")
//   asyncio.run(main())
// prints:
//   main done
//   Task exception was never retrieved
//   Traceback (most recent call last): ... ValueError: boom
//   ValueError: boom
TEST_F(AsyncioParityTest, AFailedTaskNobodyAwaitedIsReported) {
  ::testing::internal::CaptureStderr();
  AsyncioRun([](Printed* out) -> Task<void> {
    (void)CreateTask(Boom(), "boom");
    co_await Sleep(100ms);
    (*out)("main done");
  });
  const std::string stderr_text = ::testing::internal::GetCapturedStderr();
  EXPECT_THAT(print.lines(), ElementsAre("main done"));
  // One line (asyncio logs a traceback too), naming the task and the exception.
  EXPECT_THAT(stderr_text, HasSubstr("Task exception was never retrieved: task 'boom' raised "
                                     "std::invalid_argument: boom\n"));
  EXPECT_EQ(std::count(stderr_text.begin(), stderr_text.end(), '\n'), 1) << stderr_text;
}

// The same task, awaited: nothing is reported.
TEST_F(AsyncioParityTest, AFailedTaskThatWasAwaitedIsNotReported) {
  ::testing::internal::CaptureStderr();
  EXPECT_THROW(coro::Run(Boom(), clock), std::invalid_argument);
  EXPECT_EQ(::testing::internal::GetCapturedStderr(), "");
}

// Python 3.11.7:
//   async def sleeper():
//       try:
//           await asyncio.sleep(1)
//       except asyncio.CancelledError:
//           print(f"sleeper: CancelledError at {loop.time() - t0:.1f}")
//           raise
//       finally:
//           print("sleeper: finally runs")
//   async def main():
//       global loop, t0
//       loop = asyncio.get_running_loop(); t0 = loop.time()
//       task = asyncio.create_task(sleeper())
//       await asyncio.sleep(0.1)
//       print("cancel() returned", task.cancel())
//       try:
//           await task
//       except asyncio.CancelledError:
//           print(f"main: the task is cancelled: {task.cancelled()} at {loop.time() - t0:.1f}")
//       print("cancel() again returned", task.cancel())
//   asyncio.run(main())
// prints:
//   cancel() returned True
//   sleeper: CancelledError at 0.1
//   sleeper: finally runs
//   main: the task is cancelled: True at 0.1
//   cancel() again returned False
TEST_F(AsyncioParityTest, CancelRaisesCancelledErrorWhereTheTaskSleeps) {
  AsyncioRun([](Printed* out) -> Task<void> {
    Future<void> task = CreateTask([](Printed* out) -> Task<void> {
      absl::Cleanup finally = [out] { (*out)("sleeper: finally runs"); };
      try {
        co_await Sleep(1s);
      } catch (const CancelledError&) {
        (*out)("sleeper: CancelledError" + out->At());
        throw;
      }
    }(out));
    co_await Sleep(100ms);
    (*out)(absl::StrCat("cancel() returned ", Py(task.Cancel())));
    try {
      co_await task;
    } catch (const CancelledError&) {
      (*out)(absl::StrCat("main: the task is cancelled: ", Py(task.cancelled()), out->At()));
    }
    (*out)(absl::StrCat("cancel() again returned ", Py(task.Cancel())));
  });
  EXPECT_THAT(print.lines(),
              ElementsAre("cancel() returned True", "sleeper: CancelledError at 0.1",
                          "sleeper: finally runs", "main: the task is cancelled: True at 0.1",
                          "cancel() again returned False"));
}

// Python 3.11.7:
//   async def careful():
//       try:
//           await asyncio.sleep(1)
//           return "finished"
//       except asyncio.CancelledError:
//           await asyncio.sleep(0.1)   # clean up, then carry on
//           return "cleaned up"
//   async def main():
//       loop = asyncio.get_running_loop(); t0 = loop.time()
//       task = asyncio.create_task(careful())
//       await asyncio.sleep(0.1)
//       task.cancel()
//       print(await task, f"at {loop.time() - t0:.1f}", "cancelled():", task.cancelled())
//   asyncio.run(main())
// prints:
//   cleaned up at 0.2 cancelled(): False
TEST_F(AsyncioParityTest, ACancelledTaskMayCatchTheErrorCleanUpAndCarryOn) {
  AsyncioRun([](Printed* out) -> Task<void> {
    Future<std::string> task = CreateTask([]() -> Task<std::string> {
      try {
        co_await Sleep(1s);
        co_return "finished";
      } catch (const CancelledError&) {
      }
      co_await Sleep(100ms);  // clean up, then carry on (no co_await in a handler in C++)
      co_return "cleaned up";
    }());
    co_await Sleep(100ms);
    task.Cancel();
    std::string result = co_await task;
    (*out)(absl::StrCat(result, out->At(), " cancelled(): ", Py(task.cancelled())));
  });
  EXPECT_THAT(print.lines(), ElementsAre("cleaned up at 0.2 cancelled(): False"));
}

Task<void> SleepsLong(Printed* out, std::string name) {
  absl::Cleanup finally = [out, name] { (*out)(name + ": finally"); };
  co_await Sleep(1s);
}

// Python 3.11.7:
//   async def inner():
//       try:
//           await asyncio.sleep(1)
//       finally:
//           print("inner: finally")
//   async def outer(task):
//       try:
//           await task
//       except asyncio.CancelledError:
//           print("outer: CancelledError")
//           raise
//   async def main():
//       inner_task = asyncio.create_task(inner())
//       outer_task = asyncio.create_task(outer(inner_task))
//       await asyncio.sleep(0.1)
//       outer_task.cancel()
//       await asyncio.gather(outer_task, return_exceptions=True)
//       print("inner cancelled:", inner_task.cancelled(), "outer cancelled:",
//       outer_task.cancelled())
//   asyncio.run(main())
// prints:
//   inner: finally
//   outer: CancelledError
//   inner cancelled: True outer cancelled: True
TEST_F(AsyncioParityTest, CancellingATaskThatAwaitsAnotherCancelsBoth) {
  AsyncioRun([](Printed* out) -> Task<void> {
    Future<void> inner = CreateTask(SleepsLong(out, "inner"));
    Future<void> outer = CreateTask([](Printed* out, Future<void> task) -> Task<void> {
      try {
        co_await task;
      } catch (const CancelledError&) {
        (*out)("outer: CancelledError");
        throw;
      }
    }(out, inner));
    co_await Sleep(100ms);
    outer.Cancel();
    co_await Gather(Just(outer), kReturnExceptions);
    (*out)(absl::StrCat("inner cancelled: ", Py(inner.cancelled()),
                        " outer cancelled: ", Py(outer.cancelled())));
  });
  EXPECT_THAT(print.lines(), ElementsAre("inner: finally", "outer: CancelledError",
                                         "inner cancelled: True outer cancelled: True"));
}

// Python 3.11.7:
//   async def inner():
//       await asyncio.sleep(0.2)
//       print(f"inner: finished at {loop.time() - t0:.1f}")
//       return "result"
//   async def outer(task):
//       try:
//           await asyncio.shield(task)
//       except asyncio.CancelledError:
//           print(f"outer: CancelledError at {loop.time() - t0:.1f}")
//           raise
//   async def main():
//       global loop, t0
//       loop = asyncio.get_running_loop(); t0 = loop.time()
//       inner_task = asyncio.create_task(inner())
//       outer_task = asyncio.create_task(outer(inner_task))
//       await asyncio.sleep(0.1)
//       outer_task.cancel()
//       print("inner result:", await inner_task, "outer cancelled:", outer_task.cancelled())
//   asyncio.run(main())
// prints:
//   outer: CancelledError at 0.1
//   inner: finished at 0.2
//   inner result: result outer cancelled: True
TEST_F(AsyncioParityTest, ShieldKeepsTheInnerTaskRunning) {
  AsyncioRun([](Printed* out) -> Task<void> {
    Future<std::string> inner = CreateTask([](Printed* out) -> Task<std::string> {
      co_await Sleep(200ms);
      (*out)("inner: finished" + out->At());
      co_return "result";
    }(out));
    Future<void> outer = CreateTask([](Printed* out, Future<std::string> task) -> Task<void> {
      try {
        co_await Shield(task);
      } catch (const CancelledError&) {
        (*out)("outer: CancelledError" + out->At());
        throw;
      }
    }(out, inner));
    co_await Sleep(100ms);
    outer.Cancel();
    std::string result = co_await inner;
    (*out)(absl::StrCat("inner result: ", result, " outer cancelled: ", Py(outer.cancelled())));
  });
  EXPECT_THAT(print.lines(), ElementsAre("outer: CancelledError at 0.1", "inner: finished at 0.2",
                                         "inner result: result outer cancelled: True"));
}

// Python 3.11.7:
//   async def never():
//       print("never: body runs")
//   async def main():
//       task = asyncio.create_task(never())
//       task.cancel()
//       await asyncio.sleep(0)
//       print("cancelled:", task.cancelled())
//   asyncio.run(main())
// prints:
//   cancelled: True
TEST_F(AsyncioParityTest, ATaskCancelledBeforeItStartedNeverRunsItsBody) {
  AsyncioRun([](Printed* out) -> Task<void> {
    Future<void> task = CreateTask([](Printed* out) -> Task<void> {
      (*out)("never: body runs");
      co_return;
    }(out));
    task.Cancel();
    co_await Sleep(0s);
    (*out)(absl::StrCat("cancelled: ", Py(task.cancelled())));
  });
  EXPECT_THAT(print.lines(), ElementsAre("cancelled: True"));
}

// Python 3.11.7:
//   async def slow():
//       try:
//           await asyncio.sleep(1)
//       finally:
//           print(f"slow: finally at {loop.time() - t0:.1f}")
//   async def main():
//       global loop, t0
//       loop = asyncio.get_running_loop(); t0 = loop.time()
//       try:
//           await asyncio.wait_for(slow(), timeout=0.3)
//       except TimeoutError:
//           print(f"TimeoutError at {loop.time() - t0:.1f}")
//       print(await asyncio.wait_for(asyncio.sleep(0.1, result="quick"), timeout=0.3))
//   asyncio.run(main())
// prints:
//   slow: finally at 0.3
//   TimeoutError at 0.3
//   quick
TEST_F(AsyncioParityTest, WaitForCancelsTheWorkAndRaisesTimeoutError) {
  AsyncioRun([](Printed* out) -> Task<void> {
    try {
      co_await WaitFor(
          [](Printed* out) -> Task<void> {
            absl::Cleanup finally = [out] { (*out)("slow: finally" + out->At()); };
            co_await Sleep(1s);
          }(out),
          300ms);
    } catch (const TimeoutError&) {
      (*out)("TimeoutError" + out->At());
    }
    (*out)(co_await WaitFor(Quiet("quick", 100ms), 300ms));
  });
  EXPECT_THAT(print.lines(), ElementsAre("slow: finally at 0.3", "TimeoutError at 0.3", "quick"));
}

// Python 3.11.7:
//   async def main():
//       loop = asyncio.get_running_loop(); t0 = loop.time()
//       try:
//           async with asyncio.timeout(0.2):
//               await asyncio.sleep(0.1)
//               print(f"first await done at {loop.time() - t0:.1f}")
//               await asyncio.sleep(1)
//               print("never printed")
//       except TimeoutError:
//           print(f"TimeoutError at {loop.time() - t0:.1f}")
//   asyncio.run(main())
// prints:
//   first await done at 0.1
//   TimeoutError at 0.2
TEST_F(AsyncioParityTest, TimeoutScopeCancelsWhatItEnclosesAndRaisesTimeoutError) {
  AsyncioRun([](Printed* out) -> Task<void> {
    try {
      co_await Timeout(200ms, [](Printed* out) -> Task<void> {
        co_await Sleep(100ms);
        (*out)("first await done" + out->At());
        co_await Sleep(1s);
        (*out)("never printed");
      }(out));
    } catch (const TimeoutError&) {
      (*out)("TimeoutError" + out->At());
    }
  });
  EXPECT_THAT(print.lines(), ElementsAre("first await done at 0.1", "TimeoutError at 0.2"));
}

// Python 3.11.7:
//   async def job(name, delay):
//       await asyncio.sleep(delay)
//       return name
//   async def main():
//       loop = asyncio.get_running_loop(); t0 = loop.time()
//       tasks = [asyncio.create_task(job(n, d)) for n, d in (("A", 0.3), ("B", 0.1), ("C", 0.2))]
//       done, pending = await asyncio.wait(tasks, timeout=0.25)
//       print(sorted(t.result() for t in done), len(pending), f"at {loop.time() - t0:.2f}")
//       for t in pending: t.cancel()
//   asyncio.run(main())
// prints:
//   ['B', 'C'] 1 at 0.25
TEST_F(AsyncioParityTest, WaitWithATimeoutReturnsWhatIsDoneByThen) {
  AsyncioRun([](Printed* out) -> Task<void> {
    std::vector<Future<std::string>> tasks = {CreateTask(Quiet("A", 300ms)),
                                              CreateTask(Quiet("B", 100ms)),
                                              CreateTask(Quiet("C", 200ms))};
    auto result = co_await Wait(tasks, ReturnWhen::kAllCompleted, 250ms);
    (*out)(absl::StrFormat("%s %d at %.2f", SortedResults(result.done), result.pending.size(),
                           out->Seconds()));
    for (auto& t : result.pending) t.Cancel();
  });
  EXPECT_THAT(print.lines(), ElementsAre("['B', 'C'] 1 at 0.25"));
}

Task<void> Done(Printed* out, std::string name, Duration delay) {
  co_await Sleep(delay);
  (*out)(name + " done" + out->At());
}

// Python 3.11.7:
//   async def job(name, delay):
//       await asyncio.sleep(delay)
//       print(f"{name} done at {loop.time() - t0:.1f}")
//   async def main():
//       global loop, t0
//       loop = asyncio.get_running_loop(); t0 = loop.time()
//       async with asyncio.TaskGroup() as tg:
//           tg.create_task(job("A", 0.2))
//           tg.create_task(job("B", 0.1))
//           print("body done")
//       print(f"group done at {loop.time() - t0:.1f}")
//   asyncio.run(main())
// prints:
//   body done
//   B done at 0.1
//   A done at 0.2
//   group done at 0.2
TEST_F(AsyncioParityTest, TaskGroupEndsWhenEveryChildHasEnded) {
  AsyncioRun([](Printed* out) -> Task<void> {
    co_await WithTaskGroup([out](TaskGroup& tg) -> Task<void> {
      tg.CreateTask(Done(out, "A", 200ms));
      tg.CreateTask(Done(out, "B", 100ms));
      (*out)("body done");
      co_return;
    });
    (*out)("group done" + out->At());
  });
  EXPECT_THAT(print.lines(),
              ElementsAre("body done", "B done at 0.1", "A done at 0.2", "group done at 0.2"));
}

Task<void> Ok(Printed* out, std::string name, Duration delay) {
  try {
    co_await Sleep(delay);
    (*out)(name + " done");
  } catch (const CancelledError&) {
    (*out)(name + " cancelled" + out->At());
    throw;
  }
}

Task<void> Fail(std::string message, Duration delay) {
  co_await Sleep(delay);
  throw std::invalid_argument(message);
}

// Python 3.11.7:
//   async def ok(name, delay):
//       try:
//           await asyncio.sleep(delay)
//           print(f"{name} done")
//       except asyncio.CancelledError:
//           print(f"{name} cancelled at {loop.time() - t0:.1f}")
//           raise
//   async def fail(delay):
//       await asyncio.sleep(delay)
//       raise ValueError("bad input")
//   async def main():
//       global loop, t0
//       loop = asyncio.get_running_loop(); t0 = loop.time()
//       try:
//           async with asyncio.TaskGroup() as tg:
//               tg.create_task(ok("A", 1))
//               tg.create_task(fail(0.1))
//               tg.create_task(ok("B", 0.05))
//               await asyncio.sleep(1)
//               print("body: never printed")
//       except* ValueError as group:
//           print(f"{group.exceptions!r} at {loop.time() - t0:.1f}")
//   asyncio.run(main())
// prints:
//   B done
//   A cancelled at 0.1
//   (ValueError('bad input'),) at 0.1
TEST_F(AsyncioParityTest, TaskGroupFirstFailureCancelsTheSiblingsAndTheBody) {
  AsyncioRun([](Printed* out) -> Task<void> {
    try {
      co_await WithTaskGroup([out](TaskGroup& tg) -> Task<void> {
        tg.CreateTask(Ok(out, "A", 1s));
        tg.CreateTask(Fail("bad input", 100ms));
        tg.CreateTask(Ok(out, "B", 50ms));
        co_await Sleep(1s);
        (*out)("body: never printed");
      });
    } catch (const TaskGroupError& group) {
      (*out)(absl::StrCat("(", absl::StrJoin(group.messages(), ", "), ",)", out->At()));
    }
  });
  EXPECT_THAT(print.lines(), ElementsAre("B done", "A cancelled at 0.1", "(bad input,) at 0.1"));
}

// Python 3.11.7:
//   async def fail(message, delay):
//       await asyncio.sleep(delay)
//       raise ValueError(message)
//   async def main():
//       try:
//           async with asyncio.TaskGroup() as tg:
//               tg.create_task(fail("one", 0.1))
//               tg.create_task(fail("two", 0.1))
//       except ExceptionGroup as group:
//           print(group)
//           print([str(e) for e in group.exceptions])
//   asyncio.run(main())
// prints:
//   unhandled errors in a TaskGroup (2 sub-exceptions)
//   ['one', 'two']
TEST_F(AsyncioParityTest, TaskGroupReportsEveryFailureTogether) {
  AsyncioRun([](Printed* out) -> Task<void> {
    try {
      co_await WithTaskGroup([](TaskGroup& tg) -> Task<void> {
        tg.CreateTask(Fail("one", 100ms));
        tg.CreateTask(Fail("two", 100ms));
        co_return;
      });
    } catch (const TaskGroupError& group) {
      (*out)(group.what());
      (*out)(PyList(group.messages()));
    }
  });
  EXPECT_THAT(print.lines(),
              ElementsAre("unhandled errors in a TaskGroup (2 sub-exceptions)", "['one', 'two']"));
}

Task<void> Child(Printed* out, std::string name) {
  try {
    co_await Sleep(1s);
  } catch (const CancelledError&) {
    (*out)(name + " cancelled");
    throw;
  }
}

// Python 3.11.7:
//   async def child():
//       try:
//           await asyncio.sleep(1)
//       except asyncio.CancelledError:
//           print("child cancelled")
//           raise
//   async def main():
//       try:
//           async with asyncio.TaskGroup() as tg:
//               tg.create_task(child())
//               await asyncio.sleep(0.1)
//               raise KeyError("body")
//       except ExceptionGroup as group:
//           print(group, [repr(e) for e in group.exceptions])
//   asyncio.run(main())
// prints:
//   child cancelled
//   unhandled errors in a TaskGroup (1 sub-exception) ["KeyError('body')"]
TEST_F(AsyncioParityTest, TaskGroupBodyFailureCancelsTheChildren) {
  AsyncioRun([](Printed* out) -> Task<void> {
    try {
      co_await WithTaskGroup([out](TaskGroup& tg) -> Task<void> {
        tg.CreateTask(Child(out, "child"));
        co_await Sleep(100ms);
        throw std::out_of_range("body");
      });
    } catch (const TaskGroupError& group) {
      (*out)(absl::StrCat(group.what(), " ", PyList(group.messages())));
    }
  });
  EXPECT_THAT(
      print.lines(),
      ElementsAre("child cancelled", "unhandled errors in a TaskGroup (1 sub-exception) ['body']"));
}

Task<int> Value(int v) { co_return v; }
Task<int> FailsNow() {
  throw std::invalid_argument("nope");
  co_return 0;
}

// Python 3.11.7:
//   async def value(v): return v
//   async def fail(): raise ValueError("nope")
//   async def main():
//       print(await asyncio.gather(value(1), fail(), value(3), return_exceptions=True))
//   asyncio.run(main())
// prints:
//   [1, ValueError('nope'), 3]
TEST_F(AsyncioParityTest, GatherWithReturnExceptions) {
  AsyncioRun([](Printed* out) -> Task<void> {
    std::vector<Task<int>> tasks;
    tasks.push_back(Value(1));
    tasks.push_back(FailsNow());
    tasks.push_back(Value(3));
    std::vector<Outcome<int>> outcomes = co_await Gather(std::move(tasks), kReturnExceptions);
    std::vector<std::string> shown;
    for (const auto& o : outcomes) {
      if (o.ok()) {
        shown.push_back(std::to_string(*o.value));
        continue;
      }
      try {
        std::rethrow_exception(o.error);
      } catch (const std::invalid_argument& e) {
        shown.push_back(absl::StrCat("invalid_argument('", e.what(), "')"));
      }
    }
    (*out)("[" + absl::StrJoin(shown, ", ") + "]");
  });
  EXPECT_THAT(print.lines(), ElementsAre("[1, invalid_argument('nope'), 3]"));
}

// Python 3.11.7:
//   async def child(name):
//       try:
//           await asyncio.sleep(1)
//       except asyncio.CancelledError:
//           print(f"{name} cancelled")
//           raise
//   async def gatherer():
//       await asyncio.gather(child("a"), child("b"))
//   async def main():
//       task = asyncio.create_task(gatherer())
//       await asyncio.sleep(0.1)
//       task.cancel()
//       try:
//           await task
//       except asyncio.CancelledError:
//           print("gather raised CancelledError")
//   asyncio.run(main())
// prints:
//   a cancelled
//   b cancelled
//   gather raised CancelledError
TEST_F(AsyncioParityTest, CancellingAGatherCancelsItsChildren) {
  AsyncioRun([](Printed* out) -> Task<void> {
    Future<void> task = CreateTask(Gather(Child(out, "a"), Child(out, "b")));
    co_await Sleep(100ms);
    task.Cancel();
    try {
      co_await task;
    } catch (const CancelledError&) {
      (*out)("gather raised CancelledError");
    }
  });
  EXPECT_THAT(print.lines(),
              ElementsAre("a cancelled", "b cancelled", "gather raised CancelledError"));
}

Task<void> Producer(Printed* out, Queue<int>* q) {
  for (int i = 0; i < 4; ++i) {
    co_await q->Put(i);
    (*out)(absl::StrFormat("put %d%s (size %d)", i, out->At(), q->size()));
  }
}

Task<void> Consumer(Printed* out, Queue<int>* q) {
  for (int i = 0; i < 4; ++i) {
    co_await Sleep(100ms);
    int item = co_await q->Get();
    (*out)(absl::StrFormat("got %d%s", item, out->At()));
  }
}

// Python 3.11.7:
//   async def producer(q):
//       for i in range(4):
//           await q.put(i)
//           print(f"put {i} at {loop.time() - t0:.1f} (size {q.qsize()})")
//   async def consumer(q):
//       for _ in range(4):
//           await asyncio.sleep(0.1)
//           print(f"got {await q.get()} at {loop.time() - t0:.1f}")
//   async def main():
//       global loop, t0
//       loop = asyncio.get_running_loop(); t0 = loop.time()
//       q = asyncio.Queue(maxsize=2)
//       await asyncio.gather(producer(q), consumer(q))
//   asyncio.run(main())
// prints:
//   put 0 at 0.0 (size 1)
//   put 1 at 0.0 (size 2)
//   got 0 at 0.1
//   put 2 at 0.1 (size 2)
//   got 1 at 0.2
//   put 3 at 0.2 (size 2)
//   got 2 at 0.3
//   got 3 at 0.4
TEST_F(AsyncioParityTest, QueuePutWaitsWhileFull) {
  AsyncioRun([](Printed* out) -> Task<void> {
    Queue<int> q(2);
    co_await Gather(Producer(out, &q), Consumer(out, &q));
  });
  EXPECT_THAT(print.lines(), ElementsAre("put 0 at 0.0 (size 1)", "put 1 at 0.0 (size 2)",
                                         "got 0 at 0.1", "put 2 at 0.1 (size 2)", "got 1 at 0.2",
                                         "put 3 at 0.2 (size 2)", "got 2 at 0.3", "got 3 at 0.4"));
}

// Python 3.11.7:
//   async def worker(q):
//       while True:
//           item = await q.get()
//           await asyncio.sleep(0.1)
//           print(f"processed {item} at {loop.time() - t0:.1f}")
//           q.task_done()
//   async def main():
//       global loop, t0
//       loop = asyncio.get_running_loop(); t0 = loop.time()
//       q = asyncio.Queue()
//       for i in range(3): q.put_nowait(i)
//       w = asyncio.create_task(worker(q))
//       await q.join()
//       print(f"join returned at {loop.time() - t0:.1f}")
//       w.cancel()
//   asyncio.run(main())
// prints:
//   processed 0 at 0.1
//   processed 1 at 0.2
//   processed 2 at 0.3
//   join returned at 0.3
TEST_F(AsyncioParityTest, QueueJoinWaitsUntilEveryItemIsDone) {
  AsyncioRun([](Printed* out) -> Task<void> {
    Queue<int> q;
    for (int i = 0; i < 3; ++i) q.PutNowait(i);
    Future<void> worker = CreateTask([](Printed* out, Queue<int>* q) -> Task<void> {
      while (true) {
        int item = co_await q->Get();
        co_await Sleep(100ms);
        (*out)(absl::StrFormat("processed %d%s", item, out->At()));
        q->TaskDone();
      }
    }(out, &q));
    co_await q.Join();
    (*out)("join returned" + out->At());
    worker.Cancel();
    co_await Gather(Just(worker), kReturnExceptions);
  });
  EXPECT_THAT(print.lines(), ElementsAre("processed 0 at 0.1", "processed 1 at 0.2",
                                         "processed 2 at 0.3", "join returned at 0.3"));
}

// Python 3.11.7:
//   async def getter(q, name):
//       print(f"{name} got {await q.get()}")
//   async def main():
//       q = asyncio.Queue()
//       tasks = [asyncio.create_task(getter(q, n)) for n in ("g1", "g2", "g3")]
//       await asyncio.sleep(0)
//       for i in range(3): q.put_nowait(i)
//       await asyncio.gather(*tasks)
//   asyncio.run(main())
// prints:
//   g1 got 0
//   g2 got 1
//   g3 got 2
TEST_F(AsyncioParityTest, QueueGettersAreServedInArrivalOrder) {
  AsyncioRun([](Printed* out) -> Task<void> {
    Queue<int> q;
    auto getter = [](Printed* out, Queue<int>* q, std::string name) -> Task<void> {
      (*out)(absl::StrCat(name, " got ", co_await q->Get()));
    };
    std::vector<Future<void>> tasks;
    for (const char* name : {"g1", "g2", "g3"}) {
      tasks.push_back(CreateTask(getter(out, &q, name)));
    }
    co_await Sleep(0s);
    for (int i = 0; i < 3; ++i) q.PutNowait(i);
    co_await Gather(std::move(tasks));
  });
  EXPECT_THAT(print.lines(), ElementsAre("g1 got 0", "g2 got 1", "g3 got 2"));
}

// Python 3.11.7:
//   async def background(name):
//       try:
//           await asyncio.sleep(10)
//       finally:
//           print(f"{name}: finally")
//   async def main():
//       asyncio.create_task(background("first"))
//       asyncio.create_task(background("second"))
//       await asyncio.sleep(0.1)
//       print("main returns")
//   asyncio.run(main())
//   print("run returned")
// prints:
//   main returns
//   first: finally
//   second: finally
//   run returned
TEST_F(AsyncioParityTest, RunCancelsTheTasksMainLeftRunning) {
  AsyncioRun([](Printed* out) -> Task<void> {
    (void)CreateTask(SleepsLong(out, "first"));
    (void)CreateTask(SleepsLong(out, "second"));
    co_await Sleep(100ms);
    (*out)("main returns");
  });
  print("run returned");
  EXPECT_THAT(print.lines(),
              ElementsAre("main returns", "first: finally", "second: finally", "run returned"));
}

// Python 3.11.7:
//   async def self_cancel():
//       asyncio.current_task().cancel()
//       print("still running after cancel()")
//       try:
//           await asyncio.sleep(1)
//       except asyncio.CancelledError:
//           print("CancelledError at the next await")
//           raise
//   async def main():
//       task = asyncio.create_task(self_cancel())
//       await asyncio.gather(task, return_exceptions=True)
//       print("cancelled:", task.cancelled())
//   asyncio.run(main())
// prints:
//   still running after cancel()
//   CancelledError at the next await
//   cancelled: True
TEST_F(AsyncioParityTest, ARunningTaskThatIsCancelledRaisesAtItsNextAwait) {
  AsyncioRun([](Printed* out) -> Task<void> {
    Future<void> task = CreateTask([](Printed* out) -> Task<void> {
      EventLoop::Running()->Cancel(EventLoop::Running()->current_task());
      (*out)("still running after cancel()");
      try {
        co_await Sleep(1s);
      } catch (const CancelledError&) {
        (*out)("CancelledError at the next await");
        throw;
      }
    }(out));
    co_await Gather(Just(task), kReturnExceptions);
    (*out)(absl::StrCat("cancelled: ", Py(task.cancelled())));
  });
  EXPECT_THAT(print.lines(), ElementsAre("still running after cancel()",
                                         "CancelledError at the next await", "cancelled: True"));
  EXPECT_EQ(clock.Elapsed(), 0s);
}

// Python 3.11.7:
//   async def main():
//       q = asyncio.Queue(maxsize=1)
//       q.put_nowait("a")
//       put = asyncio.create_task(q.put("b"))
//       await asyncio.sleep(0)
//       put.cancel()
//       await asyncio.gather(put, return_exceptions=True)
//       print("size", q.qsize(), "items", [q.get_nowait() for _ in range(q.qsize())])
//   asyncio.run(main())
// prints:
//   size 1 items ['a']
TEST_F(AsyncioParityTest, ACancelledPutPutsNothing) {
  AsyncioRun([](Printed* out) -> Task<void> {
    Queue<std::string> q(1);
    q.PutNowait("a");
    Future<void> put = CreateTask(q.Put("b"));
    co_await Sleep(0s);
    put.Cancel();
    co_await Gather(Just(put), kReturnExceptions);
    std::vector<std::string> items;
    while (!q.empty()) items.push_back(q.GetNowait());
    (*out)(absl::StrCat("size ", items.size(), " items ", PyList(items)));
  });
  EXPECT_THAT(print.lines(), ElementsAre("size 1 items ['a']"));
}

}  // namespace
}  // namespace coro
