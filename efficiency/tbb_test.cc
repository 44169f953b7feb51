#include <string>

#include "common/lesson_testing.h"
#include "efficiency/experiment_testing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace efficiency_test {
namespace {

constexpr char kBinary[] = "efficiency/tbb";

// Both parts, the second against its own baseline (items_single).
TEST(TbbTest, JsonFollowsTheContract) {
  Json json = RunJson(kBinary, {"--iterations=20000", "--jobs=4", "--items=60",
                                "--item_iterations=2000", "--repeats=1"});
  ExpectContract(json, "tbb",
                 {"single", "threads", "processes", "tbb_parallel_for", "tbb_task_group",
                  "items_single", "items_thread_per_item", "items_thread_pool",
                  "items_tbb_parallel_for", "items_tbb_task_group"});
  EXPECT_EQ(RowOf(json, "items_thread_per_item")["workers"].get<double>(), 60);
  EXPECT_EQ(RowOf(json, "items_tbb_task_group")["baseline"].get<std::string>(), "items_single");
}

TEST(TbbTest, RejectsBadFlags) {
  for (const char* flag : {"--items=0", "--items=100000", "--item_iterations=0", "--jobs=0"}) {
    ExpectRejected(kBinary, flag);
  }
}

// Each flag in its range, but together more than a minute of work: refused.
TEST(TbbTest, RejectsRunsLongerThanAMinute) {
  ExpectRejected(kBinary, {"--iterations=10000000000", "--jobs=1024"},
                 "--iterations=10000000000 with --jobs=1024");
  ExpectRejected(kBinary, {"--items=10000", "--item_iterations=100000000"}, "--items=10000");
}

}  // namespace
}  // namespace efficiency_test
