// Tests of //efficiency:mpi before any MPI code runs: bad flags, and a machine without
// mpirun. (The runs themselves are in mpi_test.cc.)
#include <sched.h>
#include <stdlib.h>

#include <string>

#include "common/lesson_testing.h"
#include "efficiency/experiment_testing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace efficiency_test {
namespace {

using ::testing::HasSubstr;

constexpr char kBinary[] = "efficiency/mpi";

// Nonsense is refused in one line naming the flag, exit 2, before mpirun is looked for.
TEST(MpiSetupTest, BadFlagsAreRefused) {
  ExpectRejected(kBinary, {"--ranks=0"}, "--ranks");
  ExpectRejected(kBinary, {"--ranks=100000"}, "--ranks");
  ExpectRejected(kBinary, {"--ranks=two"}, "--ranks");
  // More than 4 ranks per usable core, without a hostfile of other machines.
  cpu_set_t set;
  CPU_ZERO(&set);
  sched_getaffinity(0, sizeof set, &set);
  if (4 * CPU_COUNT(&set) + 1 <= 256) {
    ExpectRejected(kBinary, {"--ranks=" + std::to_string(4 * CPU_COUNT(&set) + 1)}, "--ranks");
  }
  ExpectRejected(kBinary, {"--iterations=0"}, "--iterations");
  ExpectRejected(kBinary, {"--jobs=0"}, "--jobs");
  ExpectRejected(kBinary, {"--repeats=0"}, "--repeats");
  ExpectRejected(kBinary, {"--sizes=0"}, "--sizes");
  ExpectRejected(kBinary, {"--sizes=1G"}, "--sizes");
  ExpectRejected(kBinary, {"--sizes=8,,64"}, "--sizes");
  ExpectRejected(kBinary, {"--hostfile=/nonexistent/hosts"}, "--hostfile");
  ExpectRejected(kBinary, {"--role=boss"}, "--role");
  ExpectRejected(kBinary, {"--iterations=20000000000", "--repeats=20"}, "--iterations");
}

// Without mpirun on the PATH: one line naming the package to install, exit 1, and nothing
// started.
TEST(MpiSetupTest, MissingMpirunNamesThePackage) {
  const char* saved = std::getenv("PATH");
  const std::string old_path = saved == nullptr ? "" : saved;
  ::setenv("PATH", "/nonexistent", 1);
  lesson::ProgramResult r = RunExperiment(kBinary, {"--repeats=1"});
  ::setenv("PATH", old_path.c_str(), 1);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.stdout_text, "");
  EXPECT_EQ(lesson::testing::Lines(r.stderr_text).size(), 1u) << r.stderr_text;
  EXPECT_THAT(r.stderr_text, HasSubstr("mpirun was not found"));
  EXPECT_THAT(r.stderr_text, HasSubstr("openmpi-bin"));
  EXPECT_EQ(r.leftover_processes, 0);
}

// The same in Chinese: the package name stays as it is typed.
TEST(MpiSetupTest, MissingMpirunInChinese) {
  const char* saved = std::getenv("PATH");
  const std::string old_path = saved == nullptr ? "" : saved;
  ::setenv("PATH", "/nonexistent", 1);
  lesson::ProgramResult r = RunExperiment(kBinary, {"--lang=zh"});
  ::setenv("PATH", old_path.c_str(), 1);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.stderr_text, HasSubstr("mpirun"));
  EXPECT_THAT(r.stderr_text, HasSubstr("openmpi-bin"));
  EXPECT_THAT(r.stderr_text, ::testing::Not(HasSubstr("was not found")));
}

}  // namespace
}  // namespace efficiency_test
