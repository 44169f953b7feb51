// CpuBoundConclusions on synthetic runs: the sentence chosen for each machine.
#include "efficiency/cpu_bound_conclusions.h"

#include "efficiency/conclusions_testing.h"
#include "gtest/gtest.h"

namespace efficiency {
namespace {

using namespace efficiency::testing;  // QuietTwoCores, Ran, Conclude, ExpectSaid, matchers

constexpr CpuBoundRun kDefault{.jobs = 2, .workers = 2, .iterations = 150e6};

// single 0.33 s; the parallel modes 0.33 / speedup, with `cores` cores busy.
Results Measured(double threads, double processes, double tbb, double cores) {
  return ResultsOf("cpu_bound",
                   {Ran("single", 1, 0.33, 1.0), Ran("threads", 2, 0.33 / threads, cores),
                    Ran("processes", 2, 0.33 / processes, cores),
                    Ran("tbb", 2, 0.33 / tbb, cores)});
}

TEST(CpuBoundConclusionsTest, QuietTwoCoresConcludesParallelThreads) {
  ExpectSaid(Conclude(QuietTwoCores(), CpuBoundConclusions, Measured(1.97, 1.96, 1.99, 1.98),
                      kDefault),
             {.codes = IsEmpty(),
              .says = {"the 2 threads ran on 2 cores at once (threads 1.97x",
                       "ended within 2% of each other",
                       // The two ways of working, from the single and threads rows.
                       "more resources and less waiting (1.98 cores at once",
                       "The CPU time hardly changed"},
              .never_says = {"cannot show"}});
}

TEST(CpuBoundConclusionsTest, OneCoreSaysSoAndDoesNotConclude) {
  ExpectSaid(Conclude(OneCore(), CpuBoundConclusions, Measured(0.99, 1.0, 0.98, 1.0), kDefault),
             {.codes = ElementsAre("fewer_cores"),
              .says = {"This run cannot show that C++ threads run in parallel: only 1 core(s) "
                       "could be used (2 online, 1 usable (affinity mask: 1))",
                       "threads 0.99x, processes 1.00x, tbb 0.98x",
                       "need the extra resources to exist"},
              .never_says = {"ran on 2 cores at once"}});
}

TEST(CpuBoundConclusionsTest, BusyMachineSaysSo) {
  ExpectSaid(Conclude(Busy(), CpuBoundConclusions, Measured(0.91, 0.95, 0.93, 1.1), kDefault),
             {.codes = ElementsAre("busy_machine"),
              .says = {"other work was using 1.20 core(s) before it started"},
              .never_says = {"ran on 2 cores at once", "Threads, processes and TBB ended"}});
}

TEST(CpuBoundConclusionsTest, UnoptimisedBuildSaysSo) {
  ExpectSaid(Conclude(Unoptimised(), CpuBoundConclusions, Measured(1.9, 1.9, 1.9, 1.9),
                      kDefault),
             {.codes = ElementsAre("unoptimised_build"),
              .says = {"the build is unoptimised", "bazel run -c opt //efficiency:cpu_bound"},
              .never_says = {"ran on 2 cores at once"}});
}

TEST(CpuBoundConclusionsTest, ImplausibleSpeedupSaysSo) {
  ExpectSaid(Conclude(QuietTwoCores(), CpuBoundConclusions, Measured(2.6, 1.95, 1.97, 2.0),
                      kDefault),
             {.codes = ElementsAre("implausible"),
              .says = {"more than its workers can give"},
              .never_says = {"ran on 2 cores at once"}});
}

// Quiet and two cores, yet the threads did not scale: said as measured, not concluded.
TEST(CpuBoundConclusionsTest, QuietButSlowSaysWhatItMeasured) {
  ExpectSaid(Conclude(QuietTwoCores(), CpuBoundConclusions, Measured(1.2, 1.9, 1.9, 1.3),
                      kDefault),
             {.codes = _,
              .says = {"reached only 1.20x"},
              .never_says = {}});
}

TEST(CpuBoundConclusionsTest, OneWorkerHasNothingToRunInParallel) {
  ExpectSaid(Conclude(QuietTwoCores(), CpuBoundConclusions, Measured(1.0, 1.0, 1.0, 1.0),
                      CpuBoundRun{.jobs = 2, .workers = 1, .iterations = 1e6}),
             {.codes = IsEmpty(),
              .says = {"nothing to run in parallel"},
              .never_says = {}});
}

}  // namespace
}  // namespace efficiency
