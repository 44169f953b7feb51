// Tests of //efficiency:mpi before any MPI code runs: bad flags, and a machine without
// mpirun. (The runs themselves are in mpi_test.cc.)
#include <stdlib.h>

#include <string>
#include <vector>

#include "common/lesson_testing.h"
#include "common/machine.h"
#include "efficiency/experiment_testing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace efficiency_test {
namespace {

constexpr char kBinary[] = "efficiency/mpi";

// Runs the lesson with PATH=/nonexistent, where no mpirun can be found.
lesson::ProgramResult RunWithoutMpirun(const std::vector<std::string>& flags) {
  const char* saved = std::getenv("PATH");
  const std::string old_path = saved == nullptr ? "" : saved;
  ::setenv("PATH", "/nonexistent", 1);
  lesson::ProgramResult r = RunExperiment(kBinary, flags);
  ::setenv("PATH", old_path.c_str(), 1);
  return r;
}

// Nonsense is refused in one line naming the flag, exit 2, before mpirun is looked for.
TEST(MpiSetupTest, BadFlagsAreRefused) {
  for (const char* flag : {"--ranks=0", "--ranks=100000", "--ranks=two"}) {
    ExpectRejected(kBinary, flag);
  }
  // More than 4 ranks per usable core, without a hostfile of other machines.
  const int too_many = 4 * lesson::AffinityCores() + 1;
  if (too_many <= 256) ExpectRejected(kBinary, "--ranks=" + std::to_string(too_many));
  for (const char* flag : {"--iterations=0", "--jobs=0", "--repeats=0", "--sizes=0", "--sizes=1G",
                           "--sizes=8,,64", "--hostfile=/nonexistent/hosts", "--role=boss"}) {
    ExpectRejected(kBinary, flag);
  }
  ExpectRejected(kBinary, {"--iterations=20000000000", "--repeats=20"}, "--iterations");
}

// Without mpirun on the PATH: one line naming the package to install, exit 1, and nothing
// started.
TEST(MpiSetupTest, MissingMpirunNamesThePackage) {
  lesson::ProgramResult r = RunWithoutMpirun({"--repeats=1"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.stdout_text, "");
  EXPECT_EQ(Lines(r.stderr_text).size(), 1u) << r.stderr_text;
  EXPECT_THAT(r.stderr_text, HasSubstr("mpirun was not found"));
  EXPECT_THAT(r.stderr_text, HasSubstr("openmpi-bin"));
  EXPECT_EQ(r.leftover_processes, 0);
}

// The same in Chinese: the package name stays as it is typed.
TEST(MpiSetupTest, MissingMpirunInChinese) {
  lesson::ProgramResult r = RunWithoutMpirun({"--lang=zh"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.stderr_text, HasSubstr("mpirun"));
  EXPECT_THAT(r.stderr_text, HasSubstr("openmpi-bin"));
  EXPECT_THAT(r.stderr_text, Not(HasSubstr("was not found")));
}

}  // namespace
}  // namespace efficiency_test
