// GilConclusions on synthetic runs: the sentence chosen for each machine.
#include "efficiency/gil_conclusions.h"

#include "efficiency/conclusions_testing.h"
#include "gtest/gtest.h"

namespace efficiency {
namespace {

using namespace efficiency::testing;  // QuietTwoCores, Ran, Conclude, ExpectSaid, matchers

// single 0.22 s under the lock; io_single 0.12 s keeping 'cores' at 0.5.
Results Measured(double threads, double threads_cores, double processes, double without,
                 double io_cores = 0.98) {
  return ResultsOf("gil", {Ran("single", 1, 0.22, 1.0),
                           Ran("threads", 2, 0.22 / threads, threads_cores),
                           Ran("processes", 2, 0.22 / processes, processes),
                           Ran("threads_without_gil", 2, 0.22 / without, without),
                           Ran("io_single", 1, 0.12, 0.5, "io_single"),
                           Ran("io_threads_gil", 4, 0.062, io_cores, "io_single")});
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
  ExpectSaid(Conclude(QuietTwoCores(), GilConclusions, Measured(0.99, 1.0, 1.9, 1.98), Races()),
             {.codes = IsEmpty(),
              .says = {"Under one interpreter lock the 2 threads took turns: 0.99x",
                       "Processes, each with its own lock, reached 1.90x",
                       // The first FAQ: one core kept busy by threads that block.
                       "kept its core busy 50% of the time",
                       "4 threads under the same lock kept it 98% busy",
                       // The second FAQ, from the race tallies.
                       "2 of 2 runs lost updates (30 of 150 switches fell there)",
                       "no run lost an update (2 runs, 90 switches)", "every run ended at 0",
                       "multiprocessing"},
              .never_says = {}});
}

TEST(GilConclusionsTest, OneCoreCannotTellTheLockApart) {
  ExpectSaid(Conclude(OneCore(), GilConclusions, Measured(0.99, 1.0, 1.0, 1.0), Races()),
             {.codes = ElementsAre("fewer_cores"),
              .says = {"This run cannot show the difference between one lock for all threads "
                       "and one lock per process: only 1 core(s)",
                       // One core is all the first FAQ needs: it still shows.
                       "4 threads under the same lock kept it 98% busy"},
              .never_says = {"Processes, each with its own lock, reached"}});
}

TEST(GilConclusionsTest, BusyMachineSaysSo) {
  ExpectSaid(Conclude(Busy(), GilConclusions, Measured(0.98, 1.0, 1.36, 1.4), Races()),
             {.codes = ElementsAre("busy_machine"),
              .says = {"other work was using 1.20 core(s)"},
              .never_says = {"Processes, each with its own lock, reached"}});
}

TEST(GilConclusionsTest, UnoptimisedBuildSaysSo) {
  ExpectSaid(Conclude(Unoptimised(), GilConclusions, Measured(1.0, 1.0, 1.9, 1.9), Races()),
             {.codes = ElementsAre("unoptimised_build"),
              .says = {"the build is unoptimised",
                       "This run cannot show how busy threads that block keep one core"},
              .never_says = {"Processes, each with its own lock, reached"}});
}

TEST(GilConclusionsTest, ImplausibleSpeedupSaysSo) {
  ExpectSaid(Conclude(QuietTwoCores(), GilConclusions, Measured(1.0, 1.0, 2.7, 1.9), Races()),
             {.codes = ElementsAre("implausible"),
              .says = {"more than its workers can give"},
              .never_says = {}});
}

// Threads under one lock faster than one thread: impossible, said as such.
TEST(GilConclusionsTest, ThreadsBeatingOneLockAreImplausible) {
  ExpectSaid(Conclude(QuietTwoCores(), GilConclusions, Measured(1.6, 1.6, 1.9, 1.9), Races()),
             {.codes = ElementsAre("implausible"),
              .says = {},
              .never_says = {}});
}

// Quiet, two cores, and processes short of 1.6x: the cost of starting them, said with the
// figures (the run of issue 11: 1.36x at a 46 ms single run).
TEST(GilConclusionsTest, ShortRunSaysStartingProcessesWeighs) {
  ExpectSaid(Conclude(QuietTwoCores(), GilConclusions, Measured(1.0, 1.0, 1.36, 1.9), Races()),
             {.codes = _,
              .says = {"Processes reached only 1.36x although 2 cores were free",
                       "A larger --iterations"},
              .never_says = {}});
}

TEST(GilConclusionsTest, NoLostUpdateIsSaidAsMeasured) {
  ExpectSaid(Conclude(QuietTwoCores(), GilConclusions, Measured(1.0, 1.0, 1.9, 1.9), Races(0)),
             {.codes = _,
              .says = {"no run lost an update this time (30 of 150 switches"},
              .never_says = {}});
}

TEST(GilConclusionsTest, CoreNotFilledIsSaidAsMeasured) {
  ExpectSaid(Conclude(QuietTwoCores(), GilConclusions, Measured(1.0, 1.0, 1.9, 1.9, 0.6),
                      Races()),
             {.codes = _,
              .says = {"kept the core only 60% busy"},
              .never_says = {}});
}

}  // namespace
}  // namespace efficiency
