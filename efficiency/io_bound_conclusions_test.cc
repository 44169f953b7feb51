// IoBoundConclusions on synthetic runs: the sentence chosen for each machine.
#include "efficiency/io_bound_conclusions.h"

#include "efficiency/conclusions_testing.h"
#include "gtest/gtest.h"

namespace efficiency {
namespace {

using namespace efficiency::testing;  // QuietTwoCores, Ran, Conclude, ExpectSaid, matchers

constexpr IoBoundRun kDefault{.workers = 2, .one_job_seconds = 0.09};

// Two jobs of 0.09 s: single 0.18 s, the concurrent modes `seconds` each.
Results Measured(double threads, double processes, double coroutines) {
  return ResultsOf("io_bound", {Ran("single", 1, 0.18, 0.003), Ran("threads", 2, threads, 0.01),
                                Ran("processes", 2, processes, 0.03),
                                Ran("coroutines", 2, coroutines, 0.005)});
}

// The waits of the two jobs overlapped in every concurrent mode.
Results Overlapped() { return Measured(0.0907, 0.0916, 0.0904); }

TEST(IoBoundConclusionsTest, QuietTwoCoresWaitsOverlap) {
  ExpectSaid(Conclude(QuietTwoCores(), IoBoundConclusions, Overlapped(), kDefault),
             {.codes = IsEmpty(),
              .says = {"Every concurrent mode took about one job's time",
                       "'cores' 0.03 at most", "try --workers=1000"},
              .never_says = {}});
}

// Waiting needs no core: one core still shows the point, and says so.
TEST(IoBoundConclusionsTest, OneCoreStillShowsIt) {
  ExpectSaid(Conclude(OneCore(), IoBoundConclusions, Overlapped(), kDefault),
             {.codes = IsEmpty(),
              .says = {"Every concurrent mode took about one job's time",
                       "This ran on 1 usable core"},
              .never_says = {}});
}

// A busy machine does not stop sleeps from overlapping; if the waits did not overlap, the
// sentence says what was measured.
TEST(IoBoundConclusionsTest, BusyMachineSaysWhatItMeasured) {
  ExpectSaid(Conclude(Busy(), IoBoundConclusions, Measured(0.0907, 0.175, 0.0904), kDefault),
             {.codes = _,
              .says = {"processes took 0.175 s, no faster than the jobs one after another "
                       "(1.03x)"},
              .never_says = {"Every concurrent mode took about one job's time"}});
}

// An unoptimised build does not change a sleep: said, and the conclusion stands.
TEST(IoBoundConclusionsTest, UnoptimisedBuildIsSaidButSleepsStand) {
  ExpectSaid(Conclude(Unoptimised(), IoBoundConclusions, Overlapped(), kDefault),
             {.codes = ElementsAre("unoptimised_build"),
              .says = {"a sleep lasts as long in any build",
                       "Every concurrent mode took about one job's time"},
              .never_says = {}});
}

TEST(IoBoundConclusionsTest, ImplausibleSpeedupSaysSo) {
  ExpectSaid(Conclude(QuietTwoCores(), IoBoundConclusions, Measured(0.05, 0.0916, 0.0904),
                      kDefault),
             {.codes = ElementsAre("implausible"),
              .says = {"This run cannot show how much the waits overlapped"},
              .never_says = {}});
}

// A thousand workers: processes' start-up shows, and memory per worker is compared.
TEST(IoBoundConclusionsTest, ManyWorkersCompareStartAndMemory) {
  ModeResult threads = Ran("threads", 1000, 0.13, 0.8);
  threads.peak_rss_bytes = 2'500'000 + 1000 * 9100;
  ModeResult coroutines = Ran("coroutines", 1000, 0.0906, 0.01);
  coroutines.peak_rss_bytes = 2'500'000 + 1000 * 332;
  Results r = ResultsOf("io_bound", {Ran("single", 1, 90.5, 0.0), threads,
                                     Ran("processes", 1000, 0.64, 1.5), coroutines});
  r.SetMemoryBaseline(2'500'000, {"threads", "coroutines"}, 100);
  ExpectSaid(Conclude(QuietTwoCores(), IoBoundConclusions, r,
                      IoBoundRun{.workers = 1000, .one_job_seconds = 0.09,
                                 .min_workers_for_memory = 100}),
             {.codes = _,
              .says = {"processes took 0.640 s, 7.1 times one job's 0.090 s",
                       "a thread needed 8.9 KiB", "a coroutine 332 B",
                       "Processes cost the most to start"},
              .never_says = {}});
}

}  // namespace
}  // namespace efficiency
