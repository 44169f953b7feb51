#include "efficiency/measure.h"

#include <unistd.h>

#include <cstring>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "common/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "process/proc_info.h"

namespace efficiency {
namespace {

using testing::ElementsAre;
using testing::HasSubstr;

// Median of odd and even counts, minimum and maximum.
TEST(SummarizeTest, MedianMinMax) {
  Summary odd = Summarize({3, 1, 2});
  EXPECT_EQ(odd.median, 2);
  EXPECT_EQ(odd.min, 1);
  EXPECT_EQ(odd.max, 3);
  EXPECT_EQ(Summarize({4, 1, 3, 2}).median, 2.5);
  EXPECT_EQ(Summarize({7}).median, 7);
}

Mode Returning(std::string name, uint64_t value) {
  return Mode{name, 1, [value]() -> absl::StatusOr<uint64_t> { return value; }, value};
}

// Repeats are interleaved: a, b, a, b, a, b — so a burst of load hits every mode alike.
TEST(MeasureTest, InterleavesModes) {
  std::vector<std::string> order;
  absl::StatusOr<std::vector<ModeResult>> results =
      Measure({Returning("a", 1), Returning("b", 2)}, 3,
              [&](const Mode& mode, int, const Sample&) { order.push_back(mode.name); });
  ASSERT_OK(results);
  EXPECT_THAT(order, ElementsAre("a", "b", "a", "b", "a", "b"));
  ASSERT_EQ(results->size(), 2u);
  EXPECT_EQ((*results)[0].samples.size(), 3u);
  EXPECT_EQ((*results)[1].samples[0].result, 2u);
}

// A mode that returns a result other than the expected one did not do its work: that is
// an error naming the mode, not a fast run.
TEST(MeasureTest, WrongResultIsAnError) {
  Mode lazy = Returning("lazy", 1);
  lazy.expected = 2;
  absl::StatusOr<std::vector<ModeResult>> results = Measure({lazy}, 1);
  ASSERT_THAT(results, lesson::testing::StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(std::string(results.status().message()), HasSubstr("mode lazy returned 1"));
}

// A failing run stops the measurement with its error.
TEST(MeasureTest, FailedRunIsAnError) {
  Mode failing;
  failing.name = "failing";
  failing.run = []() -> absl::StatusOr<uint64_t> {
    return absl::ResourceExhaustedError("no more threads");
  };
  absl::StatusOr<std::vector<ModeResult>> results = Measure({failing}, 2);
  ASSERT_THAT(results, lesson::testing::StatusIs(absl::StatusCode::kResourceExhausted));
  EXPECT_THAT(std::string(results.status().message()), HasSubstr("mode failing"));
}

// CPU time is counted: a run that spins for a while uses CPU time, one that sleeps does not.
TEST(TimeOnceTest, CountsCpuNotSleep) {
  Sample sleeping = TimeOnce([]() -> absl::StatusOr<uint64_t> {
                      usleep(50'000);
                      return 0;
                    }).value();
  EXPECT_GE(sleeping.seconds, 0.04);
  EXPECT_LT(sleeping.cpu_seconds, sleeping.seconds);
}

// In a child: the result comes back through the pipe, with the child's peak RSS; memory
// the run touches shows up in that peak and not in this process.
TEST(TimeInChildTest, ReportsResultAndPeakMemory) {
  const int64_t idle = IdleChildPeakRss().value();
  EXPECT_GT(idle, 0);
  constexpr size_t kBytes = 64 << 20;
  Sample big = TimeInChild([]() -> absl::StatusOr<uint64_t> {
                 std::vector<char> block(kBytes);
                 std::memset(block.data(), 1, block.size());  // touch every page
                 return block[kBytes / 2];
               }).value();
  EXPECT_EQ(big.result, 1u);
  ASSERT_TRUE(big.peak_rss_bytes.has_value());
  EXPECT_GE(*big.peak_rss_bytes - idle, static_cast<int64_t>(kBytes * 9 / 10));
  EXPECT_THAT(process::ListChildren(getpid()), testing::IsEmpty());
}

// An error in the child comes back as an error.
TEST(TimeInChildTest, ErrorComesBack) {
  absl::StatusOr<Sample> s = TimeInChild([]() -> absl::StatusOr<uint64_t> {
    return absl::InternalError("it broke in the child");
  });
  ASSERT_THAT(s, lesson::testing::StatusIs(absl::StatusCode::kInternal));
  EXPECT_THAT(std::string(s.status().message()), HasSubstr("it broke in the child"));
}

}  // namespace
}  // namespace efficiency
