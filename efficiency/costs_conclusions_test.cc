// CostsConclusions and CostsSummary on synthetic benchmark figures.
#include "efficiency/costs_conclusions.h"

#include "efficiency/conclusions_testing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace efficiency {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using namespace efficiency::testing;

// The README's quiet run (ns per iteration).
CostTable Measured() {
  return {{"BM_ThreadCreateJoin", 35969},       {"BM_ForkExitWait", 357345},
          {"BM_CoroutineCreateResumeDestroy", 18.4}, {"BM_CoroutinePingPong", 35.9},
          {"BM_ThreadPingPong", 39358},         {"BM_ThreadPingPongOneCore", 4456},
          {"BM_ProcessPingPong", 40883},        {"BM_ProcessPingPongOneCore", 5036},
          {"BM_StdMutexLockUnlock", 5.49},      {"BM_AbslMutexLockUnlock", 22.5}};
}

TEST(CostsSummaryTest, GivesTheRatios) {
  EXPECT_THAT(CostsSummary(Measured()).str(),
              HasSubstr("thread switch / coroutine switch = 124x (4456 ns / 36 ns) on one core"));
  EXPECT_THAT(CostsSummary({}).str(), HasSubstr("n/a (not run)"));
}

TEST(CostsConclusionsTest, QuietTwoCores) {
  lesson::RunConditions conditions(QuietTwoCores());
  const Conclusion c = CostsConclusions(Measured(), conditions);
  EXPECT_THAT(Codes(conditions), IsEmpty());
  EXPECT_THAT(Text(c), HasSubstr("a coroutine switch is 124x cheaper"));
  EXPECT_THAT(Text(c), HasSubstr("1.13x the threads': on Linux both are tasks"));
  EXPECT_THAT(Text(c), HasSubstr("A process costs 10x a thread"));
  EXPECT_THAT(Text(c), HasSubstr("waking an idle core costs more than the switch itself"));
}

// One core: the cross-core rows ran on one core; the rest still holds.
TEST(CostsConclusionsTest, OneCore) {
  lesson::RunConditions conditions(OneCore());
  const Conclusion c = CostsConclusions(Measured(), conditions);
  EXPECT_THAT(Codes(conditions), ElementsAre("fewer_cores"));
  EXPECT_THAT(Text(c), HasSubstr("This run cannot show what a hand-over between two cores costs"));
  EXPECT_THAT(Text(c), HasSubstr("a coroutine switch is 124x cheaper"));
}

TEST(CostsConclusionsTest, BusyMachine) {
  lesson::RunConditions conditions(Busy());
  const Conclusion c = CostsConclusions(Measured(), conditions);
  EXPECT_THAT(Codes(conditions), ElementsAre("busy_machine"));
  EXPECT_THAT(Text(c), Not(HasSubstr("waking an idle core")));
}

TEST(CostsConclusionsTest, UnoptimisedBuild) {
  lesson::RunConditions conditions(Unoptimised());
  const Conclusion c = CostsConclusions(Measured(), conditions);
  EXPECT_THAT(Text(c), HasSubstr("the build is unoptimised"));
  EXPECT_THAT(Text(c), Not(HasSubstr("cheaper")));
}

// A benchmark that did not run (filtered out) leaves its sentence out.
TEST(CostsConclusionsTest, MissingFiguresAreLeftOut) {
  lesson::RunConditions conditions(QuietTwoCores());
  const Conclusion c = CostsConclusions({{"BM_StdMutexLockUnlock", 5.5},
                                         {"BM_AbslMutexLockUnlock", 22}},
                                        conditions);
  EXPECT_THAT(Text(c), HasSubstr("std::mutex lock + unlock took 5.5 ns"));
  EXPECT_THAT(Text(c), Not(HasSubstr("Switching")));
}

}  // namespace
}  // namespace efficiency
