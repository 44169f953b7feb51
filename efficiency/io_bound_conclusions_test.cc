// IoBoundConclusions on synthetic runs: the sentence chosen for each machine.
#include "efficiency/io_bound_conclusions.h"

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

constexpr IoBoundRun kDefault{.workers = 2, .one_job_seconds = 0.09};

// Two jobs of 0.09 s: single 0.18 s, the concurrent modes `seconds` each.
Results Measured(double threads, double processes, double coroutines) {
  Results r("io_bound", lesson::InEachLanguage([] { return lesson::Verbatim("work"); }));
  r.Add({Ran("single", 1, 0.18, 0.003), Ran("threads", 2, threads, 0.01),
         Ran("processes", 2, processes, 0.03), Ran("coroutines", 2, coroutines, 0.005)});
  return r;
}

TEST(IoBoundConclusionsTest, QuietTwoCoresWaitsOverlap) {
  lesson::RunConditions conditions(QuietTwoCores());
  const Conclusion c = IoBoundConclusions(Measured(0.0907, 0.0916, 0.0904), kDefault, conditions);
  EXPECT_THAT(Codes(conditions), IsEmpty());
  EXPECT_THAT(Text(c), HasSubstr("Every concurrent mode took about one job's time"));
  EXPECT_THAT(Text(c), HasSubstr("'cores' 0.03 at most"));
  EXPECT_THAT(Text(c), HasSubstr("try --workers=1000"));
}

// Waiting needs no core: one core still shows the point, and says so.
TEST(IoBoundConclusionsTest, OneCoreStillShowsIt) {
  lesson::RunConditions conditions(OneCore());
  const Conclusion c = IoBoundConclusions(Measured(0.0907, 0.0916, 0.0904), kDefault, conditions);
  EXPECT_THAT(Codes(conditions), IsEmpty());
  EXPECT_THAT(Text(c), HasSubstr("Every concurrent mode took about one job's time"));
  EXPECT_THAT(Text(c), HasSubstr("This ran on 1 usable core"));
}

// A busy machine does not stop sleeps from overlapping; if the waits did not overlap, the
// sentence says what was measured.
TEST(IoBoundConclusionsTest, BusyMachineSaysWhatItMeasured) {
  lesson::RunConditions conditions(Busy());
  const Conclusion c = IoBoundConclusions(Measured(0.0907, 0.175, 0.0904), kDefault, conditions);
  EXPECT_THAT(Text(c), HasSubstr("processes took 0.175 s, no faster than the jobs one after "
                                 "another (1.03x)"));
  EXPECT_THAT(Text(c), Not(HasSubstr("Every concurrent mode took about one job's time")));
}

// An unoptimised build does not change a sleep: said, and the conclusion stands.
TEST(IoBoundConclusionsTest, UnoptimisedBuildIsSaidButSleepsStand) {
  lesson::RunConditions conditions(Unoptimised());
  const Conclusion c = IoBoundConclusions(Measured(0.0907, 0.0916, 0.0904), kDefault, conditions);
  EXPECT_THAT(Codes(conditions), ElementsAre("unoptimised_build"));
  EXPECT_THAT(Text(c), HasSubstr("a sleep lasts as long in any build"));
  EXPECT_THAT(Text(c), HasSubstr("Every concurrent mode took about one job's time"));
}

TEST(IoBoundConclusionsTest, ImplausibleSpeedupSaysSo) {
  lesson::RunConditions conditions(QuietTwoCores());
  const Conclusion c = IoBoundConclusions(Measured(0.05, 0.0916, 0.0904), kDefault, conditions);
  EXPECT_THAT(Codes(conditions), ElementsAre("implausible"));
  EXPECT_THAT(Text(c), HasSubstr("This run cannot show how much the waits overlapped"));
}

// A thousand workers: processes' start-up shows, and memory per worker is compared.
TEST(IoBoundConclusionsTest, ManyWorkersCompareStartAndMemory) {
  Results r("io_bound", lesson::InEachLanguage([] { return lesson::Verbatim("work"); }));
  ModeResult threads = Ran("threads", 1000, 0.13, 0.8);
  threads.peak_rss_bytes = 2'500'000 + 1000 * 9100;
  ModeResult coroutines = Ran("coroutines", 1000, 0.0906, 0.01);
  coroutines.peak_rss_bytes = 2'500'000 + 1000 * 332;
  r.Add({Ran("single", 1, 90.5, 0.0), threads, Ran("processes", 1000, 0.64, 1.5), coroutines});
  r.SetMemoryBaseline(2'500'000, {"threads", "coroutines"}, 100);
  lesson::RunConditions conditions(QuietTwoCores());
  const Conclusion c = IoBoundConclusions(
      r, {.workers = 1000, .one_job_seconds = 0.09, .min_workers_for_memory = 100}, conditions);
  EXPECT_THAT(Text(c), HasSubstr("processes took 0.640 s, 7.1 times one job's 0.090 s"));
  EXPECT_THAT(Text(c), HasSubstr("a thread needed 8.9 KiB"));
  EXPECT_THAT(Text(c), HasSubstr("a coroutine 332 B"));
  EXPECT_THAT(Text(c), HasSubstr("Processes cost the most to start"));
}

}  // namespace
}  // namespace efficiency
