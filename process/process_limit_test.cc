// Start() under a process limit: fork() fails with EAGAIN and Start() says so.
//
// The death-test child may create no process (lesson::testing::ForbidNewTasks, which needs
// this test's "no-sandbox" tag).
#include <unistd.h>

#include <cstdio>

#include "common/process_limit_testing.h"
#include "gtest/gtest.h"
#include "process/process.h"

namespace process {
namespace {

// In a death-test child: forbids new processes, then tries to start a Process.
// Prints Start()'s status on stderr; exits 0 if it is the expected error.
[[noreturn]] void StartUnderAZeroProcessLimit() {
  lesson::testing::ForbidNewTasks();
  Process p([] {});
  const absl::Status status = p.Start();
  std::fprintf(stderr, "%s\n", status.ToString().c_str());
  _exit(absl::IsResourceExhausted(status) && !p.IsAlive() && p.pid() == -1 ? 0 : 1);
}

// Under a process limit Start() returns ResourceExhausted naming EAGAIN and
// RLIMIT_NPROC; nothing crashes and nothing is left half-started.
TEST(ProcessLimitDeathTest, ForkFailureIsAnErrorNotACrash) {
  EXPECT_EXIT(StartUnderAZeroProcessLimit(), testing::ExitedWithCode(0),
              "RESOURCE_EXHAUSTED: fork: .*EAGAIN.*RLIMIT_NPROC");
}

}  // namespace
}  // namespace process
