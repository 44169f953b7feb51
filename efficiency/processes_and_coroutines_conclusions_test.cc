// ProcessesAndCoroutinesConclusions on synthetic runs: the sentence chosen for each machine.
#include "efficiency/processes_and_coroutines_conclusions.h"

#include "efficiency/conclusions_testing.h"
#include "gtest/gtest.h"

namespace efficiency {
namespace {

using namespace efficiency::testing;  // QuietTwoCores, Ran, Conclude, ExpectSaid, matchers

constexpr MixedRun kDefault{.jobs = 100, .processes = 2};

Results Measured(double coroutines, double threads, double threads_gil, double pc) {
  return ResultsOf("processes_and_coroutines",
                   {Ran("single", 1, 2.14, 0.06), Ran("coroutines", 100, coroutines, 0.92),
                    Ran("threads", 100, threads, 1.57), Ran("threads_gil", 100, threads_gil, 1.01),
                    Ran("processes_coroutines", 2, pc, 1.69)});
}

// The README's quiet run: processes + coroutines fastest, plain threads second.
Results QuietRun() { return Measured(0.1217, 0.0782, 0.1425, 0.0690); }

TEST(ProcessesAndCoroutinesConclusionsTest, QuietTwoCoresTheClaimHolds) {
  ExpectSaid(Conclude(QuietTwoCores(), ProcessesAndCoroutinesConclusions, QuietRun(), kDefault),
             {.codes = IsEmpty(),
              .says = {"Fastest: processes_coroutines — 1.76x faster than coroutines",
                       "vs one event loop: 1.76x",
                       "This is the tutorial's claim, and here it holds",
                       "vs plain C++ threads: 1.13x"},
              .never_says = {}});
}

TEST(ProcessesAndCoroutinesConclusionsTest, OneCoreSaysSo) {
  ExpectSaid(Conclude(OneCore(), ProcessesAndCoroutinesConclusions,
                      Measured(0.1217, 0.12, 0.1425, 0.12), kDefault),
             {.codes = ElementsAre("fewer_cores"),
              .says = {"This run cannot show what several processes add to coroutines"},
              .never_says = {"here it holds"}});
}

TEST(ProcessesAndCoroutinesConclusionsTest, BusyMachineSaysSo) {
  ExpectSaid(Conclude(Busy(), ProcessesAndCoroutinesConclusions,
                      Measured(0.1217, 0.11, 0.1425, 0.11), kDefault),
             {.codes = ElementsAre("busy_machine"),
              .says = {},
              .never_says = {"here it holds"}});
}

TEST(ProcessesAndCoroutinesConclusionsTest, UnoptimisedBuildSaysSo) {
  ExpectSaid(Conclude(Unoptimised(), ProcessesAndCoroutinesConclusions, QuietRun(), kDefault),
             {.codes = ElementsAre("unoptimised_build"),
              .says = {"the build is unoptimised"},
              .never_says = {"here it holds"}});
}

// Threads faster than processes + coroutines: said the other way round.
TEST(ProcessesAndCoroutinesConclusionsTest, ThreadsFasterIsSaid) {
  ExpectSaid(Conclude(QuietTwoCores(), ProcessesAndCoroutinesConclusions,
                      Measured(0.1217, 0.060, 0.1425, 0.0690), kDefault),
             {.codes = _,
              .says = {"Plain C++ threads were faster than processes + coroutines here (1.15x)"},
              .never_says = {}});
}

}  // namespace
}  // namespace efficiency
