// The event loop's timeline (--trace): each task an async track with its life (kTask) and,
// nested in it, its sleeps (kSleep) and waits (kWait); instants for timers firing and
// cancellations; an arrow (flow) from the task whose end woke another. And when tracing
// is off, nothing is recorded.
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "common/trace.h"
#include "common/trace_reading.h"
#include "coroutine/coro/clock.h"
#include "coroutine/coro/event_loop.h"
#include "coroutine/coro/future.h"
#include "coroutine/coro/task.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace {

using namespace std::chrono_literals;

std::string TempPath(const std::string& name) {
  const char* dir = std::getenv("TEST_TMPDIR");
  return std::string(dir != nullptr ? dir : "/tmp") + "/" + name;
}

coro::Task<int> Child() {
  co_await coro::Sleep(100ms);
  co_return 7;
}

coro::Task<void> Sleeper() { co_await coro::Sleep(1h); }

coro::Task<void> Main() {
  coro::Future<int> child = coro::CreateTask(Child(), "child");
  coro::Future<void> doomed = coro::CreateTask(Sleeper(), "doomed");
  co_await coro::Sleep(0s);
  doomed.Cancel();
  (void)co_await child;
}

TEST(EventLoopTraceTest, TasksAreAsyncTracksWithTheirStates) {
  const std::string path = TempPath("loop_trace.json");
  ASSERT_EQ(trace::Start(path, "event_loop_trace_test"), "");
  coro::VirtualClock clock;
  coro::Run(Main(), clock);
  ASSERT_EQ(trace::Finish(), "");

  const trace_reading::Trace trace = trace_reading::Read(path);
  ASSERT_EQ(trace.error, "");
  // Per async id: the names of its "b" events in order, and how many are left open.
  std::map<std::string, std::vector<std::string>> begun;
  std::map<std::string, int> open;
  std::map<std::string, std::vector<std::string>> instants;
  int flows_out = 0, flows_in = 0;
  for (const trace_reading::Event& e : trace.events) {
    if (e.phase == "b") {
      // On an async track the category pairs the events; the state is in args.state.
      EXPECT_EQ(e.category, "coroutine");
      begun[e.id].push_back(e.name + "/" + e.state);
      ++open[e.id];
    } else if (e.phase == "e") {
      --open[e.id];
    } else if (e.phase == "n") {
      instants[e.id].push_back(e.name);
    } else if (e.phase == "s") {
      ++flows_out;
    } else if (e.phase == "f") {
      ++flows_in;
    }
  }
  std::map<std::string, std::string> id_of;  // task name -> id
  for (const auto& [id, names] : begun) id_of[names.front()] = id;
  ASSERT_TRUE(id_of.count("child/task")) << "tasks traced: " << id_of.size();
  ASSERT_TRUE(id_of.count("doomed/task"));
  ASSERT_TRUE(id_of.count("Task-1/task"));
  EXPECT_THAT(begun[id_of["child/task"]], ::testing::ElementsAre("child/task", "sleep 100 ms/sleep"));
  EXPECT_THAT(begun[id_of["doomed/task"]], ::testing::ElementsAre("doomed/task", "sleep 3600 s/sleep"));
  EXPECT_THAT(begun[id_of["Task-1/task"]],
              ::testing::ElementsAre("Task-1/task", "await child/wait"));
  for (const auto& [id, count] : open) EXPECT_EQ(count, 0) << "unbalanced async track " << id;
  EXPECT_THAT(instants[id_of["child/task"]], ::testing::Contains("timer fired"));
  EXPECT_THAT(instants[id_of["doomed/task"]], ::testing::Contains("cancel requested"));
  EXPECT_THAT(instants[id_of["doomed/task"]], ::testing::Contains("cancelled"));
  EXPECT_GE(flows_out, 1) << "no arrow from the child's end to the task it woke";
  EXPECT_EQ(flows_out, flows_in);
}

}  // namespace
