// ThreadStartError, and the experiments' modes under a process limit they cannot meet.
//
// The death-test children may create no thread or process (lesson::testing::ForbidNewTasks,
// which needs this test's "no-sandbox" tag).
#include "efficiency/thread_errors.h"

#include <unistd.h>

#include <cstdio>
#include <stdexcept>
#include <system_error>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/process_limit_testing.h"
#include "efficiency/interpreter_lock.h"
#include "efficiency/parallel.h"
#include "efficiency/work.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace efficiency {
namespace {

using testing::HasSubstr;

TEST(ThreadStartErrorTest, EagainFromStdThreadNamesTheLimit) {
  const absl::Status s = ThreadStartError(
      "could not create thread 2 of 2",
      std::system_error(std::make_error_code(std::errc::resource_unavailable_try_again)));
  EXPECT_TRUE(absl::IsResourceExhausted(s)) << s;
  EXPECT_THAT(s.message(), HasSubstr("could not create thread 2 of 2: "));
  EXPECT_THAT(s.message(), HasSubstr("RLIMIT_NPROC"));
}

// oneTBB's wording when pthread_create fails (seen under a low RLIMIT_NPROC).
TEST(ThreadStartErrorTest, TbbPthreadCreateFailureNamesTheLimit) {
  const absl::Status s = ThreadStartError(
      "tbb::parallel_for",
      std::runtime_error("pthread_create has failed: Resource temporarily unavailable"));
  EXPECT_TRUE(absl::IsResourceExhausted(s)) << s;
  EXPECT_THAT(s.message(), HasSubstr("RLIMIT_NPROC"));
}

TEST(ThreadStartErrorTest, OtherErrorsAreInternal) {
  const absl::Status s = ThreadStartError("job", std::runtime_error("boom"));
  EXPECT_TRUE(absl::IsInternal(s)) << s;
  EXPECT_EQ(s.message(), "job: boom");
}

// In a death-test child: forbids new threads and processes, runs `run`, prints its status
// on stderr and exits 0 if it is ResourceExhausted.
template <typename Run>
[[noreturn]] void UnderAZeroProcessLimit(Run run) {
  lesson::testing::ForbidNewTasks();
  const absl::Status status = run();
  std::fprintf(stderr, "%s\n", status.ToString().c_str());
  _exit(absl::IsResourceExhausted(status) ? 0 : 1);
}

const Job kJob = SpinJob(1000);

TEST(ThreadLimitDeathTest, ThreadsModeSaysWhichLimit) {
  EXPECT_EXIT(UnderAZeroProcessLimit([] { return RunOnThreads(4, 2, kJob).status(); }),
              testing::ExitedWithCode(0),
              "RESOURCE_EXHAUSTED: could not create thread 1 of 2: .*RLIMIT_NPROC");
}

TEST(ThreadLimitDeathTest, ProcessesModeSaysWhichLimit) {
  EXPECT_EXIT(UnderAZeroProcessLimit([] { return RunOnProcesses(4, 2, kJob).status(); }),
              testing::ExitedWithCode(0), "RESOURCE_EXHAUSTED: .*fork.*RLIMIT_NPROC");
}

// The race cannot start its threads: an error, not a crash, and not a hang (the calling
// thread holds the GIL while it starts them, and must let go for the ones started).
TEST(ThreadLimitDeathTest, RaceSaysWhichLimit) {
  EXPECT_EXIT(UnderAZeroProcessLimit([] {
                EmulatedGil gil(std::chrono::microseconds(100));
                return RunTutorialRace(gil, 2, 1000, SwitchPoints::kEveryStep, false).status();
              }),
              testing::ExitedWithCode(0), "RESOURCE_EXHAUSTED: could not create thread 1 of 2: .*RLIMIT_NPROC");
}

}  // namespace
}  // namespace efficiency
