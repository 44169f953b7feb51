#include "common/machine.h"

#include "gtest/gtest.h"

namespace {

// cgroup v2's cpu.max: "max" is no limit; "quota period" is quota/period cores.
TEST(MachineTest, ParsesCgroupV2CpuMax) {
  EXPECT_EQ(lesson::ParseCpuMax("max 100000"), std::nullopt);
  EXPECT_DOUBLE_EQ(*lesson::ParseCpuMax("150000 100000"), 1.5);
  EXPECT_DOUBLE_EQ(*lesson::ParseCpuMax("100000 100000"), 1.0);
  EXPECT_EQ(lesson::ParseCpuMax(""), std::nullopt);
  EXPECT_EQ(lesson::ParseCpuMax("garbage"), std::nullopt);
}

// cgroup v1's cfs quota: -1 is no limit.
TEST(MachineTest, ParsesCgroupV1Quota) {
  EXPECT_EQ(lesson::ParseCfsQuota(-1, 100000), std::nullopt);
  EXPECT_DOUBLE_EQ(*lesson::ParseCfsQuota(50000, 100000), 0.5);
}

// The usable cores never exceed the affinity mask nor the online cores, and are >= 1.
TEST(MachineTest, UsableCoresAreBounded) {
  EXPECT_GE(lesson::UsableCores(), 1);
  EXPECT_LE(lesson::UsableCores(), lesson::AffinityCores());
  EXPECT_LE(lesson::AffinityCores(), lesson::OnlineCores());
  EXPECT_NE(lesson::DescribeCores().find("usable"), std::string::npos);
}

// Pinning this process to one CPU makes one core usable.
TEST(MachineTest, AffinityMaskIsSeen) {
  const int before = lesson::AffinityCores();
  {
    lesson::OnOneCpu pinned;
    EXPECT_EQ(lesson::AffinityCores(), 1);
    EXPECT_EQ(lesson::UsableCores(), 1);
  }
  EXPECT_EQ(lesson::AffinityCores(), before) << "the mask it had comes back";
}

}  // namespace
