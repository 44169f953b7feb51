#include "common/run_conditions.h"

#include "common/i18n.h"
#include "gtest/gtest.h"

namespace {

lesson::Machine QuietTwoCores() {
  return {.usable_cores = 2, .online_cores = 2, .cores_description = "2 online, 2 usable",
          .busy_cores_before = 0.02, .optimised = true};
}

// A quiet optimised two-core machine running two workers has nothing to warn about.
TEST(RunConditionsTest, QuietMachineHasNoWarnings) {
  lesson::RunConditions c(QuietTwoCores());
  c.CheckWorkers(2, {"threads", "processes"});
  c.CheckSpeedup("threads", 1.93, 2);
  EXPECT_TRUE(c.warnings().empty());
  EXPECT_TRUE(c.Clean("threads"));
}

// One usable core (taskset -c 0) for two workers: the parallel rows are marked.
TEST(RunConditionsTest, OneCoreIsDetected) {
  lesson::Machine m = QuietTwoCores();
  m.usable_cores = 1;
  m.cores_description = "2 online, 1 usable (affinity mask: 1)";
  lesson::RunConditions c(m);
  c.CheckWorkers(2, {"threads", "processes"});
  ASSERT_TRUE(c.Has("fewer_cores"));
  EXPECT_FALSE(c.Clean("threads"));
  EXPECT_TRUE(c.Clean("single"));
  EXPECT_NE(c.warnings()[0].message.str().find("Only 1 core(s) usable"), std::string::npos);
}

// Other work before the run: busy_machine.
TEST(RunConditionsTest, BusyMachineIsDetected) {
  lesson::Machine m = QuietTwoCores();
  m.busy_cores_before = 1.1;
  lesson::RunConditions c(m);
  c.CheckWorkers(2, {"threads"});
  EXPECT_TRUE(c.Has("busy_machine"));
  EXPECT_FALSE(c.Has("fewer_cores"));
}

// An unoptimised build is said once, for the whole run.
TEST(RunConditionsTest, UnoptimisedBuildIsDetected) {
  lesson::Machine m = QuietTwoCores();
  m.optimised = false;
  lesson::RunConditions c(m);
  c.CheckWorkers(2, {"threads"});
  EXPECT_TRUE(c.Has("unoptimised_build"));
  EXPECT_FALSE(c.Clean("single"));
  EXPECT_EQ(c.warnings().size(), 1u);
}

// A speedup above the worker count cannot be real.
TEST(RunConditionsTest, ImplausibleSpeedupIsDetected) {
  lesson::RunConditions c(QuietTwoCores());
  c.CheckSpeedup("processes", 2.6, 2);
  ASSERT_TRUE(c.Has("implausible"));
  EXPECT_EQ(c.warnings()[0].modes, std::vector<std::string>{"processes"});
  EXPECT_EQ(c.ToJson()[0].ToString().find("\"code\": \"implausible\""), 1u);
}

// The sentences are in the reader's language.
TEST(RunConditionsTest, WarningsAreTranslated) {
  lesson::SetLanguage(lesson::Language::kChinese);
  lesson::Machine m = QuietTwoCores();
  m.optimised = false;
  lesson::RunConditions c(m);
  lesson::SetLanguage(lesson::Language::kEnglish);
  EXPECT_NE(c.warnings()[0].message.str().find("优化"), std::string::npos)
      << c.warnings()[0].message.str();
}

}  // namespace
