// CostsConclusions and CostsSummary on synthetic benchmark figures.
#include "efficiency/costs_conclusions.h"

#include "efficiency/conclusions_testing.h"
#include "gtest/gtest.h"

namespace efficiency {
namespace {

using namespace efficiency::testing;  // QuietTwoCores, Conclude, ExpectSaid, matchers

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
  ExpectSaid(Conclude(QuietTwoCores(), CostsConclusions, Measured()),
             {.codes = IsEmpty(),
              .says = {"a coroutine switch is 124x cheaper",
                       "1.13x the threads': on Linux both are tasks",
                       "A process costs 10x a thread",
                       "waking an idle core costs more than the switch itself"},
              .never_says = {}});
}

// One core: the cross-core rows ran on one core; the rest still holds.
TEST(CostsConclusionsTest, OneCore) {
  ExpectSaid(Conclude(OneCore(), CostsConclusions, Measured()),
             {.codes = ElementsAre("fewer_cores"),
              .says = {"This run cannot show what a hand-over between two cores costs",
                       "a coroutine switch is 124x cheaper"},
              .never_says = {}});
}

TEST(CostsConclusionsTest, BusyMachine) {
  ExpectSaid(Conclude(Busy(), CostsConclusions, Measured()),
             {.codes = ElementsAre("busy_machine"),
              .says = {},
              .never_says = {"waking an idle core"}});
}

TEST(CostsConclusionsTest, UnoptimisedBuild) {
  ExpectSaid(Conclude(Unoptimised(), CostsConclusions, Measured()),
             {.codes = _,
              .says = {"the build is unoptimised"},
              .never_says = {"cheaper"}});
}

// A benchmark that did not run (filtered out) leaves its sentence out.
TEST(CostsConclusionsTest, MissingFiguresAreLeftOut) {
  const CostTable mutexes_only = {{"BM_StdMutexLockUnlock", 5.5}, {"BM_AbslMutexLockUnlock", 22}};
  ExpectSaid(Conclude(QuietTwoCores(), CostsConclusions, mutexes_only),
             {.codes = _,
              .says = {"std::mutex lock + unlock took 5.5 ns"},
              .never_says = {"Switching"}});
}

}  // namespace
}  // namespace efficiency
