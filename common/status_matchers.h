// common/status_matchers.h — (testonly) assert on absl::Status and say why it failed.
//
// ASSERT_TRUE(s.ok()) reports only "false" when it fails; these print the status:
//
//   EXPECT_OK(p.Start());                 // Failure: ... status is RESOURCE_EXHAUSTED: ...
//   ASSERT_OK(result);                     // an absl::StatusOr<T> works too
//   EXPECT_THAT(p.Join(absl::Milliseconds(1)),
//               lesson::testing::StatusIs(absl::StatusCode::kDeadlineExceeded));
#ifndef COMMON_STATUS_MATCHERS_H_
#define COMMON_STATUS_MATCHERS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"

namespace lesson::testing {

inline const absl::Status& StatusOf(const absl::Status& status) { return status; }
template <typename T>
const absl::Status& StatusOf(const absl::StatusOr<T>& status_or) {
  return status_or.status();
}

MATCHER(IsOk, "is OK") {
  const absl::Status& status = ::lesson::testing::StatusOf(arg);
  if (!status.ok()) *result_listener << "status is " << status.ToString();
  return status.ok();
}

MATCHER_P(StatusIs, code, "has status code " + absl::StatusCodeToString(code)) {
  const absl::Status& status = ::lesson::testing::StatusOf(arg);
  *result_listener << "status is " << status.ToString();
  return status.code() == code;
}

}  // namespace lesson::testing

#define EXPECT_OK(expression) EXPECT_THAT(expression, ::lesson::testing::IsOk())
#define ASSERT_OK(expression) ASSERT_THAT(expression, ::lesson::testing::IsOk())

#endif  // COMMON_STATUS_MATCHERS_H_
