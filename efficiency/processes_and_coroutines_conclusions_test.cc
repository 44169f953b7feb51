// ProcessesAndCoroutinesConclusions on synthetic runs: the sentence chosen for each machine.
#include "efficiency/processes_and_coroutines_conclusions.h"

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

constexpr MixedRun kDefault{.jobs = 100, .processes = 2};

Results Measured(double coroutines, double threads, double threads_gil, double pc) {
  Results r("processes_and_coroutines",
            lesson::InEachLanguage([] { return lesson::Verbatim("work"); }));
  r.Add({Ran("single", 1, 2.14, 0.06), Ran("coroutines", 100, coroutines, 0.92),
         Ran("threads", 100, threads, 1.57), Ran("threads_gil", 100, threads_gil, 1.01),
         Ran("processes_coroutines", 2, pc, 1.69)});
  return r;
}

TEST(ProcessesAndCoroutinesConclusionsTest, QuietTwoCoresTheClaimHolds) {
  lesson::RunConditions conditions(QuietTwoCores());
  const Conclusion c =
      ProcessesAndCoroutinesConclusions(Measured(0.1217, 0.0782, 0.1425, 0.0690), kDefault,
                                        conditions);
  EXPECT_THAT(Codes(conditions), IsEmpty());
  EXPECT_THAT(Text(c), HasSubstr("Fastest: processes_coroutines — 1.76x faster than coroutines"));
  EXPECT_THAT(Text(c), HasSubstr("vs one event loop: 1.76x"));
  EXPECT_THAT(Text(c), HasSubstr("This is the tutorial's claim, and here it holds"));
  EXPECT_THAT(Text(c), HasSubstr("vs plain C++ threads: 1.13x"));
}

TEST(ProcessesAndCoroutinesConclusionsTest, OneCoreSaysSo) {
  lesson::RunConditions conditions(OneCore());
  const Conclusion c = ProcessesAndCoroutinesConclusions(
      Measured(0.1217, 0.12, 0.1425, 0.12), kDefault, conditions);
  EXPECT_THAT(Codes(conditions), ElementsAre("fewer_cores"));
  EXPECT_THAT(Text(c), HasSubstr("This run cannot show what several processes add to coroutines"));
  EXPECT_THAT(Text(c), Not(HasSubstr("here it holds")));
}

TEST(ProcessesAndCoroutinesConclusionsTest, BusyMachineSaysSo) {
  lesson::RunConditions conditions(Busy());
  const Conclusion c = ProcessesAndCoroutinesConclusions(
      Measured(0.1217, 0.11, 0.1425, 0.11), kDefault, conditions);
  EXPECT_THAT(Codes(conditions), ElementsAre("busy_machine"));
  EXPECT_THAT(Text(c), Not(HasSubstr("here it holds")));
}

TEST(ProcessesAndCoroutinesConclusionsTest, UnoptimisedBuildSaysSo) {
  lesson::RunConditions conditions(Unoptimised());
  const Conclusion c = ProcessesAndCoroutinesConclusions(
      Measured(0.1217, 0.0782, 0.1425, 0.0690), kDefault, conditions);
  EXPECT_THAT(Codes(conditions), ElementsAre("unoptimised_build"));
  EXPECT_THAT(Text(c), HasSubstr("the build is unoptimised"));
  EXPECT_THAT(Text(c), Not(HasSubstr("here it holds")));
}

// Threads faster than processes + coroutines: said the other way round.
TEST(ProcessesAndCoroutinesConclusionsTest, ThreadsFasterIsSaid) {
  lesson::RunConditions conditions(QuietTwoCores());
  const Conclusion c = ProcessesAndCoroutinesConclusions(
      Measured(0.1217, 0.060, 0.1425, 0.0690), kDefault, conditions);
  EXPECT_THAT(Text(c), HasSubstr("Plain C++ threads were faster than processes + coroutines "
                                 "here (1.15x)"));
}

}  // namespace
}  // namespace efficiency
