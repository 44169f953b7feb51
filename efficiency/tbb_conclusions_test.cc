// TbbConclusions on synthetic runs: the sentence chosen for each machine.
#include "efficiency/tbb_conclusions.h"

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

constexpr TbbRun kDefault{.jobs = 8, .workers = 2, .items = 2000};

// Long jobs at `parallel` x; 2,000 items of 22 us: a thread each at `per_item` x.
Results Measured(double parallel, double per_item, double pool) {
  Results r("tbb", lesson::InEachLanguage([] { return lesson::Verbatim("work"); }));
  r.Add({Ran("single", 1, 0.36, 1.0), Ran("threads", 2, 0.36 / parallel, parallel),
         Ran("processes", 2, 0.36 / parallel, parallel),
         Ran("tbb_parallel_for", 2, 0.36 / parallel, parallel),
         Ran("tbb_task_group", 2, 0.36 / parallel, parallel),
         Ran("items_single", 1, 0.0445, 1.0, "items_single"),
         Ran("items_thread_per_item", 2000, 0.0445 / per_item, 1.4, "items_single"),
         Ran("items_thread_pool", 2, 0.0445 / pool, pool, "items_single"),
         Ran("items_tbb_parallel_for", 2, 0.0445 / pool, pool, "items_single"),
         Ran("items_tbb_task_group", 2, 0.0445 / pool, pool, "items_single")});
  return r;
}

TEST(TbbConclusionsTest, QuietTwoCores) {
  lesson::RunConditions conditions(QuietTwoCores());
  const Conclusion c = TbbConclusions(Measured(1.96, 0.32, 1.96), kDefault, conditions);
  EXPECT_THAT(Codes(conditions), IsEmpty());
  EXPECT_THAT(Text(c), HasSubstr("how it reaches a core hardly matters"));
  EXPECT_THAT(Text(c), HasSubstr("Each extra thread cost about"));
  EXPECT_THAT(ItemMicroseconds(Measured(1.96, 0.32, 1.96), 2000), ::testing::DoubleNear(22.25, 0.01));
}

// One core: the long jobs cannot show parallel work; oversubscription still shows.
TEST(TbbConclusionsTest, OneCore) {
  lesson::RunConditions conditions(OneCore());
  const Conclusion c = TbbConclusions(Measured(1.0, 0.5, 1.0), kDefault, conditions);
  EXPECT_THAT(Codes(conditions), ElementsAre("fewer_cores"));
  EXPECT_THAT(Text(c), HasSubstr("This run cannot show how the ways of reaching the cores "
                                 "compare on long jobs: only 1 core(s)"));
  EXPECT_THAT(Text(c), HasSubstr("Each extra thread cost about"));
}

TEST(TbbConclusionsTest, BusyMachine) {
  lesson::RunConditions conditions(Busy());
  const Conclusion c = TbbConclusions(Measured(1.1, 0.3, 1.1), kDefault, conditions);
  EXPECT_THAT(Codes(conditions), ElementsAre("busy_machine"));
  EXPECT_THAT(Text(c), HasSubstr("other work was using 1.20 core(s)"));
  EXPECT_THAT(Text(c), Not(HasSubstr("hardly matters")));
}

TEST(TbbConclusionsTest, UnoptimisedBuild) {
  lesson::RunConditions conditions(Unoptimised());
  const Conclusion c = TbbConclusions(Measured(1.9, 0.3, 1.9), kDefault, conditions);
  EXPECT_THAT(Codes(conditions), ElementsAre("unoptimised_build"));
  EXPECT_THAT(Text(c), HasSubstr("This run cannot show what a thread per item costs"));
  EXPECT_THAT(Text(c), Not(HasSubstr("hardly matters")));
}

TEST(TbbConclusionsTest, ImplausibleSpeedup) {
  lesson::RunConditions conditions(QuietTwoCores());
  TbbConclusions(Measured(2.5, 0.3, 1.9), kDefault, conditions);
  EXPECT_THAT(Codes(conditions), ::testing::Contains("implausible"));
}

// Items long enough that a thread each costs nothing visible: said as measured.
TEST(TbbConclusionsTest, ThreadPerItemNotSlowerIsSaid) {
  lesson::RunConditions conditions(QuietTwoCores());
  const Conclusion c = TbbConclusions(Measured(1.96, 1.9, 1.96), kDefault, conditions);
  EXPECT_THAT(Text(c), HasSubstr("A thread per item was not clearly slower"));
}

}  // namespace
}  // namespace efficiency
