#include "common/trace.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace {

using nlohmann::json;

std::string TempPath(const std::string& name) {
  const char* dir = std::getenv("TEST_TMPDIR");
  return std::string(dir != nullptr ? dir : "/tmp") + "/" + name;
}

json ReadJson(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return json::parse(text.str());
}

// A path that cannot be written is refused before anything is recorded.
TEST(TraceTest, UnwritablePathIsRefused) {
  EXPECT_NE(trace::Start("/nonexistent-directory/trace.json", "t"), "");
  EXPECT_NE(trace::Start(TempPath(""), "t"), "");  // a directory
  EXPECT_FALSE(trace::Enabled());
}

// One run: the main thread, a second thread, a coroutine-like async track, a forked
// child that ends normally and one killed inside a span. Everything lands in one file
// with balanced spans, and the killed child's span is closed when it was reaped.
TEST(TraceTest, OneFileForEveryProcessAndThread) {
  const std::string path = TempPath("trace.json");
  ASSERT_EQ(trace::Start(path, "trace_test"), "");
  ASSERT_TRUE(trace::Enabled());
  {
    trace::Span step("step one", trace::kRun);
    trace::Instant("a moment");
    std::thread t([] {
      trace::NameThread("t1");
      trace::Span wait("waiting", trace::kLockWait);
    });
    t.join();
    const uint64_t id = trace::NewId();
    trace::AsyncBegin("hello #1", trace::kTask, id);
    trace::AsyncBegin("sleep 1s", trace::kSleep, id);
    trace::AsyncEnd("sleep 1s", trace::kSleep, id);
    trace::AsyncEnd("hello #1", trace::kTask, id);
    const uint64_t flow = trace::NewId();
    trace::FlowOut("item 1", flow);
    trace::FlowIn("item 1", flow);
  }
  EXPECT_FALSE(std::ifstream(path).good()) << "written before the end";

  pid_t finished = fork();
  if (finished == 0) {
    trace::NameProcess("p1");
    { trace::Span work("child work"); }
    _exit(0);
  }
  ASSERT_GT(finished, 0);
  int status;
  ASSERT_EQ(waitpid(finished, &status, 0), finished);
  trace::ProcessEnded(finished, "exited with code 0");

  int ready[2];
  ASSERT_EQ(pipe(ready), 0);
  pid_t killed = fork();
  if (killed == 0) {
    trace::NameProcess("p2");
    trace::Span forever("blocked forever", trace::kSleep);
    (void)!write(ready[1], "x", 1);
    pause();
    _exit(0);
  }
  char c;
  ASSERT_EQ(read(ready[0], &c, 1), 1);
  kill(killed, SIGKILL);
  ASSERT_EQ(waitpid(killed, &status, 0), killed);
  const double before_ended = trace::NowMicros();
  trace::ProcessEnded(killed, "killed by SIGKILL");
  const double after_ended = trace::NowMicros();

  ASSERT_EQ(trace::Finish(), "");
  const json trace = ReadJson(path);
  ASSERT_TRUE(trace.contains("traceEvents"));

  std::map<std::pair<int, int>, int> depth;  // (pid, tid) -> open B spans
  std::map<int, std::string> process_names;
  std::set<std::string> thread_names;
  double killed_span_end = -1;
  for (const json& e : trace["traceEvents"]) {
    ASSERT_TRUE(e.contains("ph") && e.contains("pid") && e.contains("tid") && e.contains("ts"))
        << e.dump();
    const std::string ph = e["ph"];
    const auto key = std::make_pair(e["pid"].get<int>(), e["tid"].get<int>());
    if (ph == "B") ++depth[key];
    if (ph == "E") {
      ASSERT_GT(depth[key], 0) << "an end without a begin: " << e.dump();
      --depth[key];
      if (key.first == killed) killed_span_end = e["ts"];
    }
    if (ph == "M" && e["name"] == "process_name") process_names[key.first] = e["args"]["name"];
    if (ph == "M" && e["name"] == "thread_name") thread_names.insert(e["args"]["name"].get<std::string>());
  }
  for (const auto& [key, open] : depth) EXPECT_EQ(open, 0) << "pid " << key.first;
  EXPECT_EQ(process_names[getpid()], "trace_test");
  EXPECT_EQ(process_names[finished], "p1");
  EXPECT_EQ(process_names[killed], "p2");
  EXPECT_TRUE(thread_names.count("t1"));
  // Closed when the parent said it ended: between our clock readings around ProcessEnded
  // (the trace writes microseconds with three decimals), however loaded the machine.
  EXPECT_GE(killed_span_end, before_ended - 0.001);
  EXPECT_LE(killed_span_end, after_ended + 0.001);
  // No temporary file left beside the trace.
  EXPECT_FALSE(std::ifstream(path + ".tmp-" + std::to_string(getpid())).good());
}

}  // namespace
