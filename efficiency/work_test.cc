#include "efficiency/work.h"

#include <cstdint>
#include <set>

#include "gtest/gtest.h"

namespace efficiency {
namespace {

// The loop and the closed form agree, so the closed form can check that a loop ran.
TEST(SpinTest, LoopMatchesClosedForm) {
  for (uint64_t n : {0ull, 1ull, 2ull, 3ull, 1000ull, 123457ull, 1ull << 20}) {
    for (uint64_t seed : {0ull, 1ull, 0xdeadbeefull}) {
      EXPECT_EQ(Spin(n, seed), SpinClosedForm(n, seed)) << "n=" << n << " seed=" << seed;
    }
  }
}

// One iteration is one LCG step.
TEST(SpinTest, OneIterationIsOneStep) {
  EXPECT_EQ(Spin(1, 5), 5 * kLcgMultiplier + kLcgIncrement);
  EXPECT_EQ(Spin(0, 5), 5u);
}

// Skipping even one iteration changes the result.
TEST(SpinTest, EveryIterationCounts) {
  EXPECT_NE(Spin(999, 7), Spin(1000, 7));
  EXPECT_NE(SpinClosedForm(1'000'000'000, 7), SpinClosedForm(999'999'999, 7));
}

// Job seeds are distinct, so a mode that runs one job twice is caught.
TEST(JobSeedTest, Distinct) {
  std::set<uint64_t> seeds;
  for (int j = 0; j < 10000; ++j) seeds.insert(JobSeed(j));
  EXPECT_EQ(seeds.size(), 10000u);
}

// The expected total is the sum of each job's final state.
TEST(ExpectedTotalTest, SumsJobs) {
  uint64_t total = 0;
  for (int j = 0; j < 5; ++j) total += Spin(777, JobSeed(j));
  EXPECT_EQ(ExpectedTotal(5, 777), total);
  EXPECT_EQ(ExpectedTotal(0, 777), 0u);
}

}  // namespace
}  // namespace efficiency
