// TbbConclusions on synthetic runs: the sentence chosen for each machine.
#include "efficiency/tbb_conclusions.h"

#include "efficiency/conclusions_testing.h"
#include "gtest/gtest.h"

namespace efficiency {
namespace {

using namespace efficiency::testing;  // QuietTwoCores, Ran, Conclude, ExpectSaid, matchers

constexpr TbbRun kDefault{.jobs = 8, .workers = 2, .items = 2000};

// Long jobs at `parallel` x; 2,000 items of 22 us: a thread each at `per_item` x.
Results Measured(double parallel, double per_item, double pool) {
  return ResultsOf(
      "tbb", {Ran("single", 1, 0.36, 1.0), Ran("threads", 2, 0.36 / parallel, parallel),
              Ran("processes", 2, 0.36 / parallel, parallel),
              Ran("tbb_parallel_for", 2, 0.36 / parallel, parallel),
              Ran("tbb_task_group", 2, 0.36 / parallel, parallel),
              Ran("items_single", 1, 0.0445, 1.0, "items_single"),
              Ran("items_thread_per_item", 2000, 0.0445 / per_item, 1.4, "items_single"),
              Ran("items_thread_pool", 2, 0.0445 / pool, pool, "items_single"),
              Ran("items_tbb_parallel_for", 2, 0.0445 / pool, pool, "items_single"),
              Ran("items_tbb_task_group", 2, 0.0445 / pool, pool, "items_single")});
}

TEST(TbbConclusionsTest, QuietTwoCores) {
  ExpectSaid(Conclude(QuietTwoCores(), TbbConclusions, Measured(1.96, 0.32, 1.96), kDefault),
             {.codes = IsEmpty(),
              .says = {"how it reaches a core hardly matters", "Each extra thread cost about"},
              .never_says = {}});
  EXPECT_THAT(ItemMicroseconds(Measured(1.96, 0.32, 1.96), 2000),
              ::testing::DoubleNear(22.25, 0.01));
}

// One core: the long jobs cannot show parallel work; oversubscription still shows.
TEST(TbbConclusionsTest, OneCore) {
  ExpectSaid(Conclude(OneCore(), TbbConclusions, Measured(1.0, 0.5, 1.0), kDefault),
             {.codes = ElementsAre("fewer_cores"),
              .says = {"This run cannot show how the ways of reaching the cores compare on long "
                       "jobs: only 1 core(s)",
                       "Each extra thread cost about"},
              .never_says = {}});
}

TEST(TbbConclusionsTest, BusyMachine) {
  ExpectSaid(Conclude(Busy(), TbbConclusions, Measured(1.1, 0.3, 1.1), kDefault),
             {.codes = ElementsAre("busy_machine"),
              .says = {"other work was using 1.20 core(s)"},
              .never_says = {"hardly matters"}});
}

TEST(TbbConclusionsTest, UnoptimisedBuild) {
  ExpectSaid(Conclude(Unoptimised(), TbbConclusions, Measured(1.9, 0.3, 1.9), kDefault),
             {.codes = ElementsAre("unoptimised_build"),
              .says = {"This run cannot show what a thread per item costs"},
              .never_says = {"hardly matters"}});
}

TEST(TbbConclusionsTest, ImplausibleSpeedup) {
  ExpectSaid(Conclude(QuietTwoCores(), TbbConclusions, Measured(2.5, 0.3, 1.9), kDefault),
             {.codes = ::testing::Contains("implausible"),
              .says = {},
              .never_says = {}});
}

// Items long enough that a thread each costs nothing visible: said as measured.
TEST(TbbConclusionsTest, ThreadPerItemNotSlowerIsSaid) {
  ExpectSaid(Conclude(QuietTwoCores(), TbbConclusions, Measured(1.96, 1.9, 1.96), kDefault),
             {.codes = _,
              .says = {"A thread per item was not clearly slower"},
              .never_says = {}});
}

}  // namespace
}  // namespace efficiency
