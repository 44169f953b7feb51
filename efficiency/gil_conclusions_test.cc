// GilConclusions on synthetic runs: the sentence chosen for each machine.
#include "efficiency/gil_conclusions.h"

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

// single 0.22 s under the lock; io_single 0.12 s keeping 'cores' at 0.5.
Results Measured(double threads, double threads_cores, double processes, double without,
                 double io_cores = 0.98) {
  Results r("gil", lesson::InEachLanguage([] { return lesson::Verbatim("work"); }));
  r.Add({Ran("single", 1, 0.22, 1.0), Ran("threads", 2, 0.22 / threads, threads_cores),
         Ran("processes", 2, 0.22 / processes, processes),
         Ran("threads_without_gil", 2, 0.22 / without, without),
         Ran("io_single", 1, 0.12, 0.5, "io_single"),
         Ran("io_threads_gil", 4, 0.062, io_cores, "io_single")});
  return r;
}

GilRun Races(int lost_every_step = 2) {
  GilRun run{.jobs = 2, .workers = 2, .io_threads = 4, .threads_max_holders = 1,
             .threads_switches = 44};
  run.every_step = {.runs = 2, .lost = lost_every_step, .switches = 150, .mid_update = 30,
                    .max_holders = 1};
  run.between_statements = {.runs = 2, .lost = 0, .switches = 90, .max_holders = 1};
  run.with_lock = {.runs = 2, .lost = 0, .switches = 20000, .mid_update = 1, .max_holders = 1};
  return run;
}

TEST(GilConclusionsTest, QuietTwoCoresConcludesTheLockSerialises) {
  lesson::RunConditions conditions(QuietTwoCores());
  const Conclusion c = GilConclusions(Measured(0.99, 1.0, 1.9, 1.98), Races(), conditions);
  EXPECT_THAT(Codes(conditions), IsEmpty());
  EXPECT_THAT(Text(c), HasSubstr("Under one interpreter lock the 2 threads took turns: 0.99x"));
  EXPECT_THAT(Text(c), HasSubstr("Processes, each with its own lock, reached 1.90x"));
  // The first FAQ: one core kept busy by threads that block.
  EXPECT_THAT(Text(c), HasSubstr("kept its core busy 50% of the time"));
  EXPECT_THAT(Text(c), HasSubstr("4 threads under the same lock kept it 98% busy"));
  // The second FAQ, from the race tallies.
  EXPECT_THAT(Text(c), HasSubstr("2 of 2 runs lost updates (30 of 150 switches fell there)"));
  EXPECT_THAT(Text(c), HasSubstr("no run lost an update (2 runs, 90 switches)"));
  EXPECT_THAT(Text(c), HasSubstr("every run ended at 0"));
  EXPECT_THAT(Text(c), HasSubstr("multiprocessing"));
}

TEST(GilConclusionsTest, OneCoreCannotTellTheLockApart) {
  lesson::RunConditions conditions(OneCore());
  const Conclusion c = GilConclusions(Measured(0.99, 1.0, 1.0, 1.0), Races(), conditions);
  EXPECT_THAT(Codes(conditions), ElementsAre("fewer_cores"));
  EXPECT_THAT(Text(c), HasSubstr("This run cannot show the difference between one lock for all "
                                 "threads and one lock per process: only 1 core(s)"));
  EXPECT_THAT(Text(c), Not(HasSubstr("Processes, each with its own lock, reached")));
  // One core is all the first FAQ needs: it still shows.
  EXPECT_THAT(Text(c), HasSubstr("4 threads under the same lock kept it 98% busy"));
}

TEST(GilConclusionsTest, BusyMachineSaysSo) {
  lesson::RunConditions conditions(Busy());
  const Conclusion c = GilConclusions(Measured(0.98, 1.0, 1.36, 1.4), Races(), conditions);
  EXPECT_THAT(Codes(conditions), ElementsAre("busy_machine"));
  EXPECT_THAT(Text(c), HasSubstr("other work was using 1.20 core(s)"));
  EXPECT_THAT(Text(c), Not(HasSubstr("Processes, each with its own lock, reached")));
}

TEST(GilConclusionsTest, UnoptimisedBuildSaysSo) {
  lesson::RunConditions conditions(Unoptimised());
  const Conclusion c = GilConclusions(Measured(1.0, 1.0, 1.9, 1.9), Races(), conditions);
  EXPECT_THAT(Codes(conditions), ElementsAre("unoptimised_build"));
  EXPECT_THAT(Text(c), HasSubstr("the build is unoptimised"));
  EXPECT_THAT(Text(c), HasSubstr("This run cannot show how busy threads that block keep one core"));
  EXPECT_THAT(Text(c), Not(HasSubstr("Processes, each with its own lock, reached")));
}

TEST(GilConclusionsTest, ImplausibleSpeedupSaysSo) {
  lesson::RunConditions conditions(QuietTwoCores());
  const Conclusion c = GilConclusions(Measured(1.0, 1.0, 2.7, 1.9), Races(), conditions);
  EXPECT_THAT(Codes(conditions), ElementsAre("implausible"));
  EXPECT_THAT(Text(c), HasSubstr("more than its workers can give"));
}

// Threads under one lock faster than one thread: impossible, said as such.
TEST(GilConclusionsTest, ThreadsBeatingOneLockAreImplausible) {
  lesson::RunConditions conditions(QuietTwoCores());
  GilConclusions(Measured(1.6, 1.6, 1.9, 1.9), Races(), conditions);
  EXPECT_THAT(Codes(conditions), ElementsAre("implausible"));
}

// Quiet, two cores, and processes short of 1.6x: the cost of starting them, said with the
// figures (the run of issue 11: 1.36x at a 46 ms single run).
TEST(GilConclusionsTest, ShortRunSaysStartingProcessesWeighs) {
  lesson::RunConditions conditions(QuietTwoCores());
  const Conclusion c = GilConclusions(Measured(1.0, 1.0, 1.36, 1.9), Races(), conditions);
  EXPECT_THAT(Text(c), HasSubstr("Processes reached only 1.36x although 2 cores were free"));
  EXPECT_THAT(Text(c), HasSubstr("A larger --iterations"));
}

TEST(GilConclusionsTest, NoLostUpdateIsSaidAsMeasured) {
  lesson::RunConditions conditions(QuietTwoCores());
  const Conclusion c = GilConclusions(Measured(1.0, 1.0, 1.9, 1.9), Races(0), conditions);
  EXPECT_THAT(Text(c), HasSubstr("no run lost an update this time (30 of 150 switches"));
}

TEST(GilConclusionsTest, CoreNotFilledIsSaidAsMeasured) {
  lesson::RunConditions conditions(QuietTwoCores());
  const Conclusion c = GilConclusions(Measured(1.0, 1.0, 1.9, 1.9, 0.6), Races(), conditions);
  EXPECT_THAT(Text(c), HasSubstr("kept the core only 60% busy"));
}

}  // namespace
}  // namespace efficiency
