#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "common/lesson_testing.h"
#include "common/trace_reading.h"
#include "efficiency/experiment_testing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace efficiency_test {
namespace {

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
  ASSERT_THAT(r, RanCleanly());
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
  const trace_reading::Trace trace = RunTraced(kBinary, kQuick);
  ASSERT_EQ(trace.error, "");

  std::map<long, std::vector<trace_reading::Span>> turns;  // by pid
  for (const trace_reading::Span& turn : trace.InState("gil")) {
    EXPECT_THAT(turn.name, HasSubstr("GIL"));
    turns[turn.pid].push_back(turn);
  }
  const std::vector<trace_reading::Span> waits = trace.InState("lock_wait");
  ASSERT_FALSE(turns.empty()) << "no span holds the GIL";
  EXPECT_TRUE(std::any_of(waits.begin(), waits.end(),
                          [](const trace_reading::Span& w) {
                            return w.name.find("GIL") != std::string::npos;
                          }))
      << "no thread waited for the GIL";
  // The main process is the one with the most turns (the forked children hold their own
  // copy of the lock, once each).
  auto main = std::max_element(turns.begin(), turns.end(), [](const auto& a, const auto& b) {
    return a.second.size() < b.second.size();
  });
  std::vector<trace_reading::Span> held = main->second;
  std::sort(held.begin(), held.end(),
            [](const auto& a, const auto& b) { return a.begin < b.begin; });
  std::set<long> holders;
  int hand_overs = 0;
  for (size_t i = 0; i < held.size(); ++i) {
    holders.insert(held[i].tid);
    if (i == 0) continue;
    EXPECT_GE(held[i].begin, held[i - 1].end - 0.001)
        << "two threads held the GIL at once: tid " << held[i - 1].tid << " until "
        << held[i - 1].end << ", tid " << held[i].tid << " from " << held[i].begin;
    if (held[i].tid != held[i - 1].tid) ++hand_overs;
  }
  EXPECT_GE(holders.size(), 2u) << "only one thread ever held the GIL";
  EXPECT_GE(hand_overs, 2) << "the threads did not take turns";
}

TEST(GilTest, RejectsBadFlags) {
  // A zero interval: CPython refuses it too; here it would hand over at every checkpoint.
  // "--switch_interval=5" has no unit.
  for (const char* flag :
       {"--switch_interval=2s", "--switch_interval=-1ms", "--switch_interval=0s",
        "--race_switch_interval=0s", "--switch_interval=soon", "--switch_interval=5",
        "--io_block=0s", "--io_threads=0", "--race_iterations=0", "--race_runs=0",
        "--race_switch_interval=5s", "--workers=100"}) {
    ExpectRejected(kBinary, flag);
  }
}

// Each flag in its range, but together more than a minute of work: refused, naming them.
TEST(GilTest, RejectsRunsLongerThanAMinute) {
  ExpectRejected(kBinary, {"--iterations=20000000000"}, "--iterations=20000000000 with --jobs=2");
  ExpectRejected(kBinary, {"--race_iterations=1000000000", "--race_runs=20"},
                 "--race_iterations");
}

}  // namespace
}  // namespace efficiency_test
