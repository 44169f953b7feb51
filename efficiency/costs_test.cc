#include <set>
#include <string>

#include "common/lesson_testing.h"
#include "efficiency/experiment_testing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace efficiency_test {
namespace {

constexpr char kBinary[] = "efficiency/costs";

// --benchmark_format=json (or --json): stdout is Google Benchmark's JSON alone, with every
// micro-benchmark and the run's "warnings"; the summary line goes to stderr.
TEST(CostsTest, JsonHasEveryBenchmark) {
  lesson::ProgramResult r =
      RunExperiment(kBinary, {"--benchmark_format=json", "--benchmark_min_time=0.001"});
  ASSERT_THAT(r, RanCleanly());
  const Json json = Json::parse(r.stdout_text, nullptr, /*allow_exceptions=*/false);
  ASSERT_TRUE(json.is_object()) << r.stdout_text;
  ASSERT_TRUE(json.contains("warnings") && json.at("warnings").is_array());
  std::set<std::string> names;
  for (const Json& b : json.at("benchmarks")) {
    const std::string name = b.at("name");
    names.insert(name);
    EXPECT_FALSE(b.value("error_occurred", false)) << name;
    EXPECT_GT(b.at("real_time").get<double>(), 0) << name;
  }
  for (const char* expected :
       {"BM_ThreadCreateJoin/real_time", "BM_ThreadCreateJoinOneCore/real_time",
        "BM_ForkExitWait/real_time", "BM_ProcessStartJoin/real_time",
        "BM_PosixSpawnWait/real_time", "BM_CoroutineCreateResumeDestroy",
        "BM_TaskCreateAwaitDestroy", "BM_CoroutinePingPong", "BM_ThreadPingPong/real_time",
        "BM_ThreadPingPongOneCore/real_time", "BM_ProcessPingPong/real_time",
        "BM_ProcessPingPongOneCore/real_time",
        "BM_StdMutexLockUnlock", "BM_AbslMutexLockUnlock"}) {
    EXPECT_TRUE(names.count(expected)) << expected;
  }
  EXPECT_THAT(r.stderr_text, HasSubstr("Summary: thread switch / coroutine switch = "));
  EXPECT_THAT(r.stderr_text, HasSubstr("process create / thread create = "));
  EXPECT_THAT(r.stderr_text, Not(HasSubstr("n/a")));
}

// --json is the same JSON, with "warnings".
TEST(CostsTest, JsonFlagGivesTheSameJson) {
  lesson::ProgramResult r =
      RunExperiment(kBinary, {"--json", "--benchmark_filter=Mutex", "--benchmark_min_time=0.001"});
  ASSERT_THAT(r, RanCleanly());
  const Json json = Json::parse(r.stdout_text, nullptr, /*allow_exceptions=*/false);
  ASSERT_TRUE(json.is_object()) << r.stdout_text;
  EXPECT_EQ(json.at("benchmarks").size(), 2u);
  EXPECT_TRUE(json.at("warnings").is_array());
}

// The console format ends with the summary and what to notice on stdout.
TEST(CostsTest, ConsoleEndsWithSummaryAndNotice) {
  lesson::ProgramResult r =
      RunExperiment(kBinary, {"--benchmark_filter=Mutex|PingPong", "--benchmark_min_time=0.001"});
  ASSERT_THAT(r, RanCleanly());
  EXPECT_THAT(r.stdout_text, HasSubstr("BM_StdMutexLockUnlock"));
  EXPECT_THAT(r.stdout_text, HasSubstr("Summary: thread switch / coroutine switch = "));
  EXPECT_THAT(r.stdout_text, HasSubstr("What to notice"));
}

// A bad flag is one line and exit 2, like every other program here.
TEST(CostsTest, RejectsBadFlags) {
  // "--jsn" gets "did you mean --json?"; Google Benchmark itself aborts on a negative
  // repetition count.
  for (const char* flag :
       {"--benchmark_nonsense=1", "--benchmark_min_time=abc", "--benchmark_format=xml", "--jsn",
        "--lang=fr", "--benchmark_repetitions=-1", "--benchmark_min_time=0",
        "--benchmark_min_time=1e9"}) {
    ExpectRejected(kBinary, flag);
  }
}

// Each flag in its range, but together more than a minute: refused, naming them.
TEST(CostsTest, RejectsRunsLongerThanAMinute) {
  ExpectRejected(kBinary, {"--benchmark_min_time=2", "--benchmark_repetitions=20"},
                 "would run for about");
}

}  // namespace
}  // namespace efficiency_test
