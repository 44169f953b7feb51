#include "efficiency/run_budget.h"

#include <cstdint>
#include <cstdlib>

#include "absl/flags/flag.h"
#include "common/machine.h"
#include "gtest/gtest.h"

ABSL_FLAG(int64_t, test_iterations, 1000, "work size");
ABSL_FLAG(int, test_repeats, 3, "repeats");

namespace efficiency {
namespace {

TEST(AboutHowLongTest, PicksAReadableUnit) {
  EXPECT_EQ(AboutHowLong(40).str(), "about 40 s");
  EXPECT_EQ(AboutHowLong(180).str(), "about 3 minutes");
  EXPECT_EQ(AboutHowLong(3 * 3600).str(), "about 3 hours");
  EXPECT_EQ(AboutHowLong(5 * 86400).str(), "about 5 days");
}

// A default left alone is cut in an unoptimised build only; a value the user gave never is.
TEST(DefaultWorkForThisBuildTest, CutsOnlyAnUntouchedDefaultInAnUnoptimisedBuild) {
  bool reduced = true;
  const int64_t work = DefaultWorkForThisBuild(FLAGS_test_iterations, 8, &reduced);
  EXPECT_EQ(reduced, !lesson::OptimisedBuild());
  EXPECT_EQ(work, lesson::OptimisedBuild() ? 1000 : 125);
  absl::SetFlag(&FLAGS_test_iterations, 2000);
  EXPECT_EQ(DefaultWorkForThisBuild(FLAGS_test_iterations, 8, &reduced), 2000);
  EXPECT_FALSE(reduced);
  absl::SetFlag(&FLAGS_test_iterations, 1000);
}

using RequireShortRunDeathTest = testing::Test;

// A minute exactly is accepted: the program carries on (here: to exit 0, saying nothing).
TEST(RequireShortRunDeathTest, AcceptsUpToAMinute) {
  EXPECT_EXIT(
      {
        RequireShortRun(kMaxRunSeconds, FLAGS_test_iterations, FLAGS_test_repeats);
        std::exit(0);
      },
      testing::ExitedWithCode(0), "^$");
}

// One line naming every flag with its value, the first as the one to lower; exit 2.
TEST(RequireShortRunDeathTest, RefusesMoreThanAMinuteNamingTheFlags) {
  EXPECT_EXIT(RequireShortRun(600, FLAGS_test_iterations, FLAGS_test_repeats),
              testing::ExitedWithCode(2),
              "^[^\n]*: --test_iterations=1000 with --test_repeats=3 would run for about 10 "
              "minutes \\(estimated from the flags\\); allowed: about a minute at most "
              "\\(60 s\\): lower one of them\n$");
}

// The defaults of every experiment fit comfortably in the budget, on one core and on two
// (unoptimised unit costs: the slowest build a learner runs).
TEST(EstimateTest, DefaultsEndInSeconds) {
  for (int cores : {1, 2}) {
    EXPECT_LT(CpuBoundSeconds({.jobs = 2, .workers = 2, .repeats = 3, .cores = cores,
                               .iterations = 150e6}),
              10)
        << cores;
    EXPECT_LT(IoBoundSeconds({.workers = 2, .single_jobs = 2, .repeats = 3,
                              .one_job_seconds = 0.09}),
              5);
    EXPECT_LT(TbbSeconds({.jobs = 8, .workers = 2, .items = 2000, .repeats = 3, .cores = cores,
                          .iterations = 40e6, .item_iterations = 20e3}),
              15)
        << cores;
  }
}

// More work, more repeats or fewer cores never make the estimate shorter.
TEST(EstimateTest, GrowsWithWorkAndRepeats) {
  const GilShape base{.jobs = 2, .workers = 2, .repeats = 3, .cores = 2, .iterations = 1e8,
                      .io_jobs = 4, .io_rounds = 5, .io_compute_iterations = 3e6,
                      .io_block_seconds = 0.003, .race_runs = 2, .race_iterations = 2e6};
  GilShape more = base;
  more.iterations *= 2;
  EXPECT_GT(GilSeconds(more), GilSeconds(base));
  more = base;
  more.repeats = 6;
  EXPECT_GT(GilSeconds(more), GilSeconds(base));
  more = base;
  more.cores = 1;
  EXPECT_GT(GilSeconds(more), GilSeconds(base));
  more = base;
  more.race_iterations *= 10;
  EXPECT_GT(GilSeconds(more), GilSeconds(base));
}

}  // namespace
}  // namespace efficiency
