#include <string>

#include "efficiency/experiment_testing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace efficiency_test {
namespace {

constexpr char kBinary[] = "efficiency/gil";

// The modes under the emulated GIL, the instrumented count, and the three race variants:
// the lock and the statement-only switches always end at 0. A 1 us race interval (the
// shortest allowed) makes the GIL change hands often during 100,000 iterations.
TEST(GilTest, JsonFollowsTheContract) {
  JsonValue json = RunJson(kBinary, {"--iterations=200000", "--repeats=1",
                                     "--switch_interval=1ms", "--race_iterations=100000",
                                     "--race_runs=2", "--race_switch_interval=1us"});
  ExpectContract(json, "gil", {"single", "threads", "processes", "threads_without_gil"});
  const JsonValue& details = json.at("details");
  EXPECT_EQ(details.at("threads_max_holders").number(), 1);
  EXPECT_EQ(details.at("switch_interval_seconds").number(), 0.001);
  const JsonValue::Array& races = details.at("race").items();
  ASSERT_EQ(races.size(), 3u);
  for (const JsonValue& race : races) {
    EXPECT_EQ(race.at("max_holders").number(), 1);
    EXPECT_EQ(race.at("runs").items().size(), 2u);
  }
  EXPECT_THAT(races[1].at("variant").string(), testing::HasSubstr("between statements"));
  EXPECT_THAT(races[2].at("variant").string(), testing::HasSubstr("with lock"));
  for (int v : {1, 2}) {  // statement-only switches and the lock: always 0
    for (const JsonValue& run : races[v].at("runs").items()) {
      EXPECT_EQ(run.at("num").number(), 0) << races[v].at("variant").string();
      EXPECT_GT(run.at("switches").number(), 0) << races[v].at("variant").string();
    }
  }
}

// The readable run shows the race and the notice.
TEST(GilTest, PrintsRaceAndNotice) {
  lesson::ProgramResult r = RunExperiment(kBinary, {"--iterations=100000", "--repeats=1",
                                          "--race_iterations=10000"});
  EXPECT_EQ(r.exit_code, 0) << r.stderr_text;
  EXPECT_THAT(r.stdout_text, testing::HasSubstr("num += i; num -= i"));
  EXPECT_THAT(r.stdout_text, testing::HasSubstr("at most 1 thread held the GIL"));
  EXPECT_THAT(r.stdout_text, testing::HasSubstr("What to notice"));
}

TEST(GilTest, RejectsBadFlags) {
  ExpectRejected(kBinary, {"--switch_interval=2s"}, "--switch_interval");
  ExpectRejected(kBinary, {"--switch_interval=-1ms"}, "--switch_interval");
  // CPython refuses a zero interval too; here it would hand over at every checkpoint.
  ExpectRejected(kBinary, {"--switch_interval=0"}, "--switch_interval");
  ExpectRejected(kBinary, {"--race_switch_interval=0"}, "--race_switch_interval");
  ExpectRejected(kBinary, {"--switch_interval=soon"}, "--switch_interval");
  ExpectRejected(kBinary, {"--race_iterations=0"}, "--race_iterations");
  ExpectRejected(kBinary, {"--race_runs=0"}, "--race_runs");
  ExpectRejected(kBinary, {"--race_switch_interval=5s"}, "--race_switch_interval");
  ExpectRejected(kBinary, {"--workers=100"}, "--workers");
}

// Each flag in its range, but together more than a minute of work: refused, naming them.
TEST(GilTest, RejectsRunsLongerThanAMinute) {
  ExpectRejected(kBinary, {"--iterations=20000000000"}, "--iterations=20000000000 with --jobs=2");
  ExpectRejected(kBinary, {"--race_iterations=1000000000", "--race_runs=20"},
                 "--race_iterations");
}

}  // namespace
}  // namespace efficiency_test
