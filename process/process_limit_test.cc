// Start() under a process limit: fork() fails with EAGAIN and Start() says so.
//
// RLIMIT_NPROC does not apply to root, so when run as root the death-test child first
// becomes the unprivileged user "nobody" (65534). Bazel's sandbox maps only uid 0 into
// its user namespace, where that is impossible: hence this test's "no-sandbox" tag.
#include <grp.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "gtest/gtest.h"
#include "process/process.h"

namespace process {
namespace {

// In a death-test child: sets a zero process limit, then tries to start a Process.
// Prints Start()'s status on stderr; exits 0 if it is the expected error.
[[noreturn]] void StartUnderAZeroProcessLimit() {
  if (getuid() == 0) {
    if (setgroups(0, nullptr) != 0 || setgid(65534) != 0 || setuid(65534) != 0) {
      std::fprintf(stderr, "cannot become an unprivileged user: %s\n", std::strerror(errno));
      _exit(3);
    }
  }
  const rlimit none{0, 0};
  if (setrlimit(RLIMIT_NPROC, &none) != 0) _exit(4);
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
