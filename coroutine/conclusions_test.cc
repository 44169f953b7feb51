// coroutine/conclusions: each closing sentence is chosen from the run's figures. Synthetic
// figures for a quiet machine, a stalled one, unusual flags and impossible results.
#include "coroutine/conclusions.h"

#include <string>
#include <vector>

#include "common/i18n.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace coroutine {
namespace {

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;

// The points as plain strings, in English.
std::vector<std::string> Strings(const std::vector<lesson::Text>& points) {
  std::vector<std::string> out;
  for (const lesson::Text& t : points) out.push_back(t.str());
  return out;
}

class ConclusionsTest : public ::testing::Test {
 protected:
  void SetUp() override { lesson::SetLanguage(lesson::Language::kEnglish); }
};

TEST_F(ConclusionsTest, GatherQuietMachineSaysAboutOneSleep) {
  auto points = Strings(GatherConclusions({.coroutines = 3, .sleep_s = 1, .together_s = 1.004,
                                           .asleep_most = 3, .threads = 1,
                                           .one_by_one_s = 3.01}));
  EXPECT_THAT(points, Contains(AllOf(HasSubstr("All 3 were asleep at the same time"),
                                     HasSubstr("about one sleep (1.000 s), not the sum of the "
                                               "sleeps (3.000 s)"))));
  EXPECT_THAT(points, Contains(HasSubstr("took 3.010 s, 3.0 times as long")));
  EXPECT_THAT(points, Contains(HasSubstr("one thread ran all 3 coroutines")));
  EXPECT_THAT(points, Contains(HasSubstr("TypeError: Passing coroutines is forbidden")));
}

// A stalled loop: never "about one sleep" when the run took 2.4 sleeps.
TEST_F(ConclusionsTest, GatherStalledMachineSaysWhatItMeasured) {
  auto points = Strings(GatherConclusions({.coroutines = 3, .sleep_s = 1, .together_s = 2.4,
                                           .asleep_most = 3, .threads = 1,
                                           .load_average = 7.5}));
  EXPECT_THAT(points, Contains(AllOf(HasSubstr("2.4 sleeps"), HasSubstr("load average 7.50"))));
  EXPECT_THAT(points, Not(Contains(HasSubstr("about one sleep"))));
  // Without the sequential part there is no sentence about it.
  EXPECT_THAT(points, Not(Contains(HasSubstr("one after another"))));
}

TEST_F(ConclusionsTest, GatherNothingToOverlap) {
  EXPECT_THAT(Strings(GatherConclusions({.coroutines = 1, .sleep_s = 1, .together_s = 1.0,
                                         .asleep_most = 1, .threads = 1})),
              Contains(HasSubstr("With one coroutine there is nothing to overlap")));
  EXPECT_THAT(Strings(GatherConclusions({.coroutines = 3, .sleep_s = 0, .together_s = 0.0001,
                                         .asleep_most = 3, .threads = 1})),
              Contains(HasSubstr("With --sleep=0 nobody waits")));
}

TEST_F(ConclusionsTest, GatherImpossibleResultIsCalledABug) {
  auto points = Strings(GatherConclusions({.coroutines = 3, .sleep_s = 1, .together_s = 3.1,
                                           .asleep_most = 1, .threads = 2}));
  EXPECT_THAT(points, Contains(HasSubstr("the sleeps did not overlap")));
  EXPECT_THAT(points, Contains(HasSubstr("ran on 2 threads: that is a bug")));
}

TEST_F(ConclusionsTest, HelloGapFollowsTheMeasurement) {
  EXPECT_THAT(Strings(HelloConclusions({.sleep_s = 1, .gap_s = 1.0004})),
              Contains(HasSubstr("is the sleep (1.000 s) plus 0.40 ms")));
  auto busy = Strings(HelloConclusions({.sleep_s = 1, .gap_s = 1.25, .load_average = 9}));
  EXPECT_THAT(busy, Contains(AllOf(HasSubstr("plus 250.0 ms"), HasSubstr("busy"),
                                   HasSubstr("load average 9.00"))));
  EXPECT_THAT(Strings(HelloConclusions({.sleep_s = 0, .gap_s = 0.00002})),
              Contains(HasSubstr("With --sleep=0")));
  EXPECT_THAT(Strings(HelloConclusions({.ran_before_loop = true, .sleep_s = 1, .gap_s = 1})),
              Contains(HasSubstr("that is a bug")));
}

TEST_F(ConclusionsTest, ProducerConsumerKernelSwitches) {
  EXPECT_THAT(Strings(ProducerConsumerConclusions({.hand_overs = 8})),
              Contains(HasSubstr("switched this thread 0 times meanwhile")));
  auto busy = Strings(ProducerConsumerConclusions(
      {.hand_overs = 8, .voluntary_switches = 2, .involuntary_switches = 1}));
  EXPECT_THAT(busy, Contains(AllOf(HasSubstr("switched this thread 3 times"),
                                   HasSubstr("never moved control from one to the other"))));
}

TEST_F(ConclusionsTest, TasksWaitAndGather) {
  TasksFigures f{.first_done = {"B"}, .first_pending = 2, .finish_order = {"B", "C", "A"},
                 .gather_results = {"A", "B", "C"}, .wait_kept_exception = true,
                 .gather_threw = true, .sibling_finished_after = true};
  auto points = Strings(TasksConclusions(f));
  EXPECT_THAT(points, Contains(HasSubstr("as soon as one job was done (B), with 2 pending")));
  EXPECT_THAT(points, Contains(HasSubstr("although the jobs finished in the order B, C, A")));
  EXPECT_THAT(points, Contains(HasSubstr("did not cancel the other job")));
  // A stalled machine: two timers due in one turn of the loop.
  f.first_done = {"B", "C"};
  f.first_pending = 1;
  EXPECT_THAT(Strings(TasksConclusions(f)),
              Contains(HasSubstr("came back with 2 jobs done (B, C) and 1 pending")));
  f.gather_threw = false;
  EXPECT_THAT(Strings(TasksConclusions(f)), Contains(HasSubstr("that is a bug")));
}

TEST_F(ConclusionsTest, EchoOverlapOrNot) {
  EchoFigures f{.clients = 50, .messages = 5, .pause_s = 0.02, .served = 50, .open_most = 50,
                .round_trips = 250, .threads = 1, .wall_s = 0.11};
  auto points = Strings(EchoConclusions(f));
  EXPECT_THAT(points, Contains(HasSubstr("All 50 connections were served")));
  EXPECT_THAT(points, Contains(HasSubstr("One thread had all 50 connections open at once")));
  EXPECT_THAT(points, Contains(HasSubstr("is about one client's pauses (0.100 s)")));
  f.wall_s = 0.4;  // a busy machine
  EXPECT_THAT(Strings(EchoConclusions(f)), Contains(HasSubstr("4.0 times one client's pauses")));
  f.pause_s = 0;
  EXPECT_THAT(Strings(EchoConclusions(f)), Contains(HasSubstr("With --pause=0")));
  EXPECT_THAT(Strings(EchoConclusions({.clients = 1, .messages = 5, .pause_s = 0.02, .served = 1,
                                       .open_most = 1, .round_trips = 5, .threads = 1,
                                       .wall_s = 0.1})),
              Contains(HasSubstr("One client, one connection")));
  f.open_most = 7;
  f.round_trips = 249;
  f.mismatches = 1;
  auto broken = Strings(EchoConclusions(f));
  EXPECT_THAT(broken, Contains(HasSubstr("At most 7 of the 50 connections")));
  EXPECT_THAT(broken, Contains(HasSubstr("249 of 250 echoes came back intact (1 wrong)")));
}

TEST_F(ConclusionsTest, RaceCountsChooseTheSentences) {
  RaceFigures f{.workers = 4, .increments = 100, .io_s = 0.001, .no_await = 400,
                .racing = 100, .locked = 400, .racing_s = 0.11, .locked_s = 0.45};
  auto points = Strings(RaceConclusions(f));
  EXPECT_THAT(points, Contains(HasSubstr("kept all 400 updates: no other coroutine")));
  EXPECT_THAT(points, Contains(HasSubstr("Part 2 lost 300 of 400 updates")));
  EXPECT_THAT(points, Contains(HasSubstr("part 3 took 0.450 s against part 2's 0.110 s")));
  f.workers = 1;
  f.no_await = f.racing = f.locked = 100;
  EXPECT_THAT(Strings(RaceConclusions(f)), Contains(HasSubstr("With one worker")));
  f.workers = 4;
  f.no_await = 400;
  f.racing = 400;
  f.locked = 399;
  auto broken = Strings(RaceConclusions(f));
  EXPECT_THAT(broken, Contains(HasSubstr("Part 2 lost nothing this time")));
  EXPECT_THAT(broken, Contains(HasSubstr("Part 3 lost 1 updates under the AsyncMutex")));
}

}  // namespace
}  // namespace coroutine
