// CpuBoundConclusions on synthetic runs: the sentence chosen for each machine.
#include "efficiency/cpu_bound_conclusions.h"

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

constexpr CpuBoundRun kDefault{.jobs = 2, .workers = 2, .iterations = 150e6};

// single 0.33 s; the parallel modes 0.33 / speedup, with `cores` cores busy.
Results Measured(double threads, double processes, double tbb, double cores) {
  Results r("cpu_bound", lesson::InEachLanguage([] { return lesson::Verbatim("work"); }));
  r.Add({Ran("single", 1, 0.33, 1.0), Ran("threads", 2, 0.33 / threads, cores),
         Ran("processes", 2, 0.33 / processes, cores), Ran("tbb", 2, 0.33 / tbb, cores)});
  return r;
}

TEST(CpuBoundConclusionsTest, QuietTwoCoresConcludesParallelThreads) {
  lesson::RunConditions conditions(QuietTwoCores());
  const Conclusion c = CpuBoundConclusions(Measured(1.97, 1.96, 1.99, 1.98), kDefault, conditions);
  EXPECT_THAT(Codes(conditions), IsEmpty());
  EXPECT_THAT(Text(c), HasSubstr("the 2 threads ran on 2 cores at once (threads 1.97x"));
  EXPECT_THAT(Text(c), HasSubstr("ended within 2% of each other"));
  // The two ways of working, from the single and threads rows.
  EXPECT_THAT(Text(c), HasSubstr("more resources and less waiting (1.98 cores at once"));
  EXPECT_THAT(Text(c), HasSubstr("The CPU time hardly changed"));
  EXPECT_THAT(Text(c), Not(HasSubstr("cannot show")));
}

TEST(CpuBoundConclusionsTest, OneCoreSaysSoAndDoesNotConclude) {
  lesson::RunConditions conditions(OneCore());
  const Conclusion c = CpuBoundConclusions(Measured(0.99, 1.0, 0.98, 1.0), kDefault, conditions);
  EXPECT_THAT(Codes(conditions), ElementsAre("fewer_cores"));
  EXPECT_THAT(Text(c), HasSubstr("This run cannot show that C++ threads run in parallel: only 1 "
                                 "core(s) could be used (2 online, 1 usable (affinity mask: 1))"));
  EXPECT_THAT(Text(c), HasSubstr("threads 0.99x, processes 1.00x, tbb 0.98x"));
  EXPECT_THAT(Text(c), Not(HasSubstr("ran on 2 cores at once")));
  EXPECT_THAT(Text(c), HasSubstr("need the extra resources to exist"));
}

TEST(CpuBoundConclusionsTest, BusyMachineSaysSo) {
  lesson::RunConditions conditions(Busy());
  const Conclusion c = CpuBoundConclusions(Measured(0.91, 0.95, 0.93, 1.1), kDefault, conditions);
  EXPECT_THAT(Codes(conditions), ElementsAre("busy_machine"));
  EXPECT_THAT(Text(c), HasSubstr("other work was using 1.20 core(s) before it started"));
  EXPECT_THAT(Text(c), Not(HasSubstr("ran on 2 cores at once")));
  EXPECT_THAT(Text(c), Not(HasSubstr("Threads, processes and TBB ended")));
}

TEST(CpuBoundConclusionsTest, UnoptimisedBuildSaysSo) {
  lesson::RunConditions conditions(Unoptimised());
  const Conclusion c = CpuBoundConclusions(Measured(1.9, 1.9, 1.9, 1.9), kDefault, conditions);
  EXPECT_THAT(Codes(conditions), ElementsAre("unoptimised_build"));
  EXPECT_THAT(Text(c), HasSubstr("the build is unoptimised"));
  EXPECT_THAT(Text(c), HasSubstr("bazel run -c opt //efficiency:cpu_bound"));
  EXPECT_THAT(Text(c), Not(HasSubstr("ran on 2 cores at once")));
}

TEST(CpuBoundConclusionsTest, ImplausibleSpeedupSaysSo) {
  lesson::RunConditions conditions(QuietTwoCores());
  const Conclusion c = CpuBoundConclusions(Measured(2.6, 1.95, 1.97, 2.0), kDefault, conditions);
  EXPECT_THAT(Codes(conditions), ElementsAre("implausible"));
  EXPECT_THAT(Text(c), HasSubstr("more than its workers can give"));
  EXPECT_THAT(Text(c), Not(HasSubstr("ran on 2 cores at once")));
}

// Quiet and two cores, yet the threads did not scale: said as measured, not concluded.
TEST(CpuBoundConclusionsTest, QuietButSlowSaysWhatItMeasured) {
  lesson::RunConditions conditions(QuietTwoCores());
  const Conclusion c = CpuBoundConclusions(Measured(1.2, 1.9, 1.9, 1.3), kDefault, conditions);
  EXPECT_THAT(Text(c), HasSubstr("reached only 1.20x"));
}

TEST(CpuBoundConclusionsTest, OneWorkerHasNothingToRunInParallel) {
  lesson::RunConditions conditions(QuietTwoCores());
  const Conclusion c = CpuBoundConclusions(Measured(1.0, 1.0, 1.0, 1.0),
                                           {.jobs = 2, .workers = 1, .iterations = 1e6},
                                           conditions);
  EXPECT_THAT(Codes(conditions), IsEmpty());
  EXPECT_THAT(Text(c), HasSubstr("nothing to run in parallel"));
}

}  // namespace
}  // namespace efficiency
