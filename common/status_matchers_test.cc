#include "common/status_matchers.h"

#include "gtest/gtest-spi.h"
#include "gtest/gtest.h"

namespace {

// A failing status is reported with its code and message, not just "false".
TEST(StatusMatchersTest, FailureSaysWhy) {
  EXPECT_NONFATAL_FAILURE(EXPECT_OK(absl::ResourceExhaustedError("RLIMIT_NPROC reached")),
                          "status is RESOURCE_EXHAUSTED: RLIMIT_NPROC reached");
  absl::StatusOr<int> missing = absl::NotFoundError("no such lesson");
  EXPECT_NONFATAL_FAILURE(EXPECT_OK(missing), "NOT_FOUND: no such lesson");
}

// OK passes, for a Status and a StatusOr; StatusIs compares the code.
TEST(StatusMatchersTest, OkPassesAndCodesCompare) {
  EXPECT_OK(absl::OkStatus());
  EXPECT_OK(absl::StatusOr<int>(3));
  EXPECT_THAT(absl::DeadlineExceededError("late"),
              lesson::testing::StatusIs(absl::StatusCode::kDeadlineExceeded));
  EXPECT_THAT(absl::OkStatus(),
              testing::Not(lesson::testing::StatusIs(absl::StatusCode::kInternal)));
}

}  // namespace
