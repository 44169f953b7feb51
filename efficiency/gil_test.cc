#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "efficiency/experiment_testing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace efficiency_test {
namespace {

using testing::HasSubstr;

constexpr char kBinary[] = "efficiency/gil";

// Small work that still makes the lock change hands: 1 ms intervals, a 1 us race interval.
const std::vector<std::string> kQuick = {
    "--iterations=2000000",   "--repeats=1",          "--switch_interval=1ms",
    "--io_iterations=100000", "--io_block=1ms",       "--race_iterations=100000",
    "--race_runs=2",          "--race_switch_interval=1us"};

// The modes under the emulated GIL, the instrumented count, and the three race variants:
// the lock and the statement-only switches always end at 0.
TEST(GilTest, JsonFollowsTheContract) {
  Json json = RunJson(kBinary, kQuick);
  ExpectContract(json, "gil",
                 {"single", "threads", "processes", "threads_without_gil", "io_single",
                  "io_threads_gil"});
  const Json& details = json["details"];
  EXPECT_EQ(details.at("threads_max_holders"), 1);
  EXPECT_EQ(details.at("switch_interval_seconds"), 0.001);
  EXPECT_EQ(RowOf(json, "io_threads_gil")["baseline"], "io_single");
  const Json& races = details.at("race");
  ASSERT_EQ(races.size(), 3u);
  for (const Json& race : races) {
    EXPECT_EQ(race.at("max_holders"), 1);
    EXPECT_EQ(race.at("runs").size(), 2u);
  }
  EXPECT_EQ(races[1].at("id"), "between_statements");
  EXPECT_EQ(races[2].at("id"), "with_lock");
  for (int v : {1, 2}) {  // statement-only switches and the lock: always 0
    for (const Json& run : races[v].at("runs")) {
      EXPECT_EQ(run.at("num"), 0) << races[v].at("id");
      EXPECT_GT(run.at("switches").get<int>(), 0) << races[v].at("id");
    }
  }
}

// The readable run shows the race, the table and what to notice.
TEST(GilTest, PrintsRaceAndNotice) {
  lesson::ProgramResult r = RunExperiment(kBinary, kQuick);
  EXPECT_EQ(r.exit_code, 0) << r.stderr_text;
  EXPECT_THAT(r.stdout_text, HasSubstr("num += i; num -= i"));
  EXPECT_THAT(r.stdout_text, HasSubstr("at most 1 thread held the GIL"));
  EXPECT_THAT(r.stdout_text, HasSubstr("io_threads_gil"));
  EXPECT_THAT(r.stdout_text, HasSubstr("multiprocessing"));
  EXPECT_THAT(r.stdout_text, HasSubstr("What to notice"));
}

// The trace shows the lock: every turn holding it is a span "holds the GIL" (state gil);
// in the main process (one lock at a time) no two turns overlap, and at least two threads
// held it, taking turns.
TEST(GilTest, TraceShowsTheThreadsTakingTurns) {
  const std::string path = std::string(std::getenv("TEST_TMPDIR")) + "/gil_trace.json";
  std::vector<std::string> flags = kQuick;
  flags.push_back("--trace=" + path);
  lesson::ProgramResult r = RunExperiment(kBinary, flags);
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  std::ifstream file(path);
  ASSERT_TRUE(file.good()) << path;
  const Json trace = Json::parse(file, nullptr, /*allow_exceptions=*/false);
  ASSERT_TRUE(trace.is_object() && trace.contains("traceEvents"));

  struct Turn {
    double start, end;
    int tid;
  };
  std::map<int, std::vector<Turn>> turns;  // by pid
  int waits = 0;
  for (const Json& e : trace.at("traceEvents")) {
    if (e.value("ph", "") != "X") continue;
    const std::string name = e.value("name", "");
    if (e.value("cat", "") == "gil") {
      EXPECT_THAT(name, HasSubstr("GIL"));
      const double ts = e.at("ts"), dur = e.at("dur");
      turns[e.at("pid").get<int>()].push_back({ts, ts + dur, e.at("tid").get<int>()});
    }
    if (e.value("cat", "") == "lock_wait" && name.find("GIL") != std::string::npos) ++waits;
  }
  ASSERT_FALSE(turns.empty()) << "no span holds the GIL";
  EXPECT_GT(waits, 0) << "no thread waited for the GIL";
  // The main process is the one with the most turns (the forked children hold their own
  // copy of the lock, once each).
  auto main = std::max_element(turns.begin(), turns.end(), [](const auto& a, const auto& b) {
    return a.second.size() < b.second.size();
  });
  std::vector<Turn> held = main->second;
  std::sort(held.begin(), held.end(), [](const Turn& a, const Turn& b) { return a.start < b.start; });
  std::set<int> holders;
  int hand_overs = 0;
  for (size_t i = 0; i < held.size(); ++i) {
    holders.insert(held[i].tid);
    if (i == 0) continue;
    EXPECT_GE(held[i].start, held[i - 1].end - 0.001)
        << "two threads held the GIL at once: tid " << held[i - 1].tid << " until "
        << held[i - 1].end << ", tid " << held[i].tid << " from " << held[i].start;
    if (held[i].tid != held[i - 1].tid) ++hand_overs;
  }
  EXPECT_GE(holders.size(), 2u) << "only one thread ever held the GIL";
  EXPECT_GE(hand_overs, 2) << "the threads did not take turns";
}

TEST(GilTest, RejectsBadFlags) {
  ExpectRejected(kBinary, {"--switch_interval=2s"}, "--switch_interval");
  ExpectRejected(kBinary, {"--switch_interval=-1ms"}, "--switch_interval");
  // CPython refuses a zero interval too; here it would hand over at every checkpoint.
  ExpectRejected(kBinary, {"--switch_interval=0s"}, "--switch_interval");
  ExpectRejected(kBinary, {"--race_switch_interval=0s"}, "--race_switch_interval");
  ExpectRejected(kBinary, {"--switch_interval=soon"}, "--switch_interval");
  ExpectRejected(kBinary, {"--switch_interval=5"}, "--switch_interval");  // no unit
  ExpectRejected(kBinary, {"--io_block=0s"}, "--io_block");
  ExpectRejected(kBinary, {"--io_threads=0"}, "--io_threads");
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
