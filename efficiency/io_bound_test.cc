#include <map>
#include <string>
#include <utility>
#include <vector>

#include "common/lesson_testing.h"
#include "common/trace_reading.h"
#include "efficiency/experiment_testing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace efficiency_test {
namespace {

constexpr char kBinary[] = "efficiency/io_bound";

// Every mode, each measured in its own child: every row has a peak RSS.
TEST(IoBoundTest, JsonFollowsTheContract) {
  Json json = RunJson(kBinary, {"--sleep=2ms", "--workers=3", "--repeats=1"});
  ExpectContract(json, "io_bound", {"single", "threads", "processes", "coroutines"});
  for (const char* mode : {"single", "threads", "processes", "coroutines"}) {
    EXPECT_GT(RowOf(json, mode)["peak_rss_bytes"].get<double>(), 0) << mode;
    EXPECT_FALSE(RowOf(json, mode).contains("bytes_per_worker")) << mode;  // too few workers
  }
  EXPECT_GT(json["details"]["idle_child_peak_rss_bytes"].get<double>(), 0);
}

// With many workers, threads and coroutines get a memory per worker, and a thread needs
// more than a coroutine (a stack's touched pages against a heap frame: ~30x on this
// machine; the test asks for 2x, and memory does not depend on the machine's load).
TEST(IoBoundTest, MemoryPerWorkerWithManyWorkers) {
  Json json = RunJson(kBinary, {"--sleep=1ms", "--sleeps_per_job=1", "--workers=200",
                                "--single_max_jobs=2", "--repeats=1"});
  ExpectContract(json, "io_bound", {"single", "threads", "processes", "coroutines"});
  const double thread = RowOf(json, "threads")["bytes_per_worker"].get<double>();
  const double coroutine = RowOf(json, "coroutines")["bytes_per_worker"].get<double>();
  EXPECT_GT(thread, 2 * coroutine);
  EXPECT_FALSE(RowOf(json, "processes").contains("bytes_per_worker"));
}

// With more workers than --single_max_jobs the single mode is sampled and scaled, and
// says so.
TEST(IoBoundTest, SampledSingleSaysSo) {
  Json json = RunJson(kBinary, {"--sleep=1ms", "--workers=40", "--single_max_jobs=4",
                                "--repeats=1"});
  ExpectContract(json, "io_bound", {"single", "threads", "processes", "coroutines"});
  EXPECT_EQ(json["details"]["single_measured_jobs"].get<double>(), 4);
  EXPECT_THAT(RowOf(json, "single")["note"].get<std::string>(), HasSubstr("4 of the 40"));
}

TEST(IoBoundTest, PrintsTableAndNotice) {
  lesson::ProgramResult r = RunExperiment(kBinary, {"--sleep=1ms", "--repeats=1"});
  ASSERT_THAT(r, RanCleanly());
  EXPECT_THAT(r.stdout_text, HasSubstr("per worker"));
  EXPECT_THAT(r.stdout_text, HasSubstr("18.0 s"));
}

// The trace shows the waits overlapping: the coroutines' sleeps, each on its own async
// track, overlap in time on one thread; the threads' sleeps overlap on two threads.
TEST(IoBoundTest, TraceShowsTheWaitsOverlapping) {
  const trace_reading::Trace trace = RunTraced(kBinary, {"--sleep=5ms", "--repeats=1"});
  ASSERT_EQ(trace.error, "");
  // Thread sleeps: spans named time.sleep; async sleeps: begin/end events per (pid, id).
  int thread_sleeps = 0;
  for (const trace_reading::Span& s : trace.spans) thread_sleeps += s.name == "time.sleep";
  std::map<std::pair<long, std::string>, double> begun;
  std::map<long, std::vector<std::pair<double, double>>> async_sleeps;  // by pid, on one tid
  for (const trace_reading::Event& e : trace.events) {
    if (e.name != "asyncio.sleep") continue;
    const std::pair<long, std::string> key{e.pid, e.id};
    if (e.phase == "b") begun[key] = e.ts;
    if (e.phase == "e" && begun.count(key)) {
      async_sleeps[e.pid].push_back({begun[key], e.ts});
    }
  }
  EXPECT_GT(thread_sleeps, 0);
  bool overlap = false;
  for (const auto& [pid, sleeps] : async_sleeps) {
    for (size_t i = 0; i < sleeps.size(); ++i) {
      for (size_t j = i + 1; j < sleeps.size(); ++j) {
        overlap = overlap || (sleeps[i].first < sleeps[j].second && sleeps[j].first < sleeps[i].second);
      }
    }
  }
  EXPECT_TRUE(overlap) << "no two coroutine sleeps overlapped in time";
}

TEST(IoBoundTest, RejectsBadFlags) {
  for (const char* flag : {"--workers=0", "--workers=1000000", "--sleep=0s",
                           "--sleeps_per_job=0", "--single_max_jobs=0"}) {
    ExpectRejected(kBinary, flag);
  }
}

// Each flag in its range, but together more than a minute of sleeping: refused.
TEST(IoBoundTest, RejectsRunsLongerThanAMinute) {
  ExpectRejected(kBinary, {"--sleep=10s", "--sleeps_per_job=100"}, "--sleep=10s with");
  ExpectRejected(kBinary, {"--workers=4000", "--repeats=50"}, "would run for about");
}

}  // namespace
}  // namespace efficiency_test
