// Tests of what the ranks and the lesson say to each other, and of reading mpirun.
#include "efficiency/mpi_protocol.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "common/i18n.h"
#include "efficiency/mpi_launch.h"
#include "efficiency/work.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace efficiency::mpi {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Optional;

// Every kind of line comes back as it was sent.
TEST(ProtocolTest, EveryLineRoundTrips) {
  Report report;
  EXPECT_TRUE(Decode(Encode(RankInfo{.rank = 1, .size = 2, .pid = 42, .ppid = 40, .host = "vm",
                                     .cores = 2, .cpus = "0,1", .jobs = 12}),
                     report));
  EXPECT_TRUE(Decode(Encode(ComputeSample{.repeat = 2, .seconds = 0.25, .cpu_seconds = 0.5,
                                          .sum = 18446744073709551615ull, .fastest = 0.24,
                                          .slowest = 0.25}),
                     report));
  EXPECT_TRUE(Decode(Encode(PingPong{.method = "mpi", .bytes = 1 << 20, .rounds = 50,
                                     .seconds = 0.01, .checked = true, .hosts = "a,b"}),
                     report));
  EXPECT_TRUE(Decode(Encode(RankError{.rank = 3, .reason = "the sum was wrong: 1 != 2"}), report));
  ASSERT_EQ(report.ranks.size(), 1u);
  EXPECT_EQ(report.ranks[0].pid, 42);
  EXPECT_EQ(report.ranks[0].ppid, 40);
  EXPECT_EQ(report.ranks[0].host, "vm");
  EXPECT_EQ(report.ranks[0].jobs, 12);
  EXPECT_EQ(report.ranks[0].cpus, "0,1");
  ASSERT_EQ(report.samples.size(), 1u);
  EXPECT_EQ(report.samples[0].sum, 18446744073709551615ull);
  EXPECT_DOUBLE_EQ(report.samples[0].cpu_seconds, 0.5);
  ASSERT_EQ(report.pingpongs.size(), 1u);
  EXPECT_EQ(report.pingpongs[0].bytes, 1 << 20);
  EXPECT_TRUE(report.pingpongs[0].checked);
  EXPECT_EQ(report.pingpongs[0].hosts, "a,b");
  ASSERT_EQ(report.errors.size(), 1u);
  EXPECT_EQ(report.errors[0].rank, 3);
  EXPECT_EQ(report.errors[0].reason, "the sum was wrong: 1 != 2");
}

// mpirun's own lines, and broken ones, are not taken for the protocol.
TEST(ProtocolTest, OtherLinesAreNotProtocol) {
  Report report;
  EXPECT_FALSE(Decode("mpirun noticed that process rank 1 with PID 0 on node vm exited", report));
  EXPECT_FALSE(Decode("mpi-lesson: sample repeat=0", report));  // fields missing
  EXPECT_FALSE(Decode("mpi-lesson: nonsense a=1", report));
  EXPECT_TRUE(report.samples.empty());
}

// An error's reason stays on one line even if it had a newline.
TEST(ProtocolTest, ErrorReasonIsOneLine) {
  EXPECT_EQ(Encode(RankError{.rank = 0, .reason = "a\nb"}).find('\n'), std::string::npos);
}

TEST(ProtocolTest, ParsesSizes) {
  EXPECT_THAT(ParseSizes("8,1K,64K,1M"), Optional(ElementsAre(8, 1024, 65536, 1 << 20)));
  EXPECT_THAT(ParseSizes(" 3 , 2M"), Optional(ElementsAre(3, 2 << 20)));
  for (const char* bad : {"", "8,,1", "x", "-1", "1G", "1K2", "99999999999999999999"}) {
    EXPECT_EQ(ParseSizes(bad), std::nullopt) << bad;
  }
}

// Every size gets a bounded number of round trips.
TEST(ProtocolTest, RoundsAreBounded) {
  EXPECT_EQ(RoundsFor(8), 10'000);
  EXPECT_EQ(RoundsFor(64 << 20), 50);
  EXPECT_EQ(RoundsFor(1 << 20), 50);
  EXPECT_EQ(RoundsFor(64 << 10), 512);
}

TEST(ProtocolTest, NamesSizes) {
  EXPECT_EQ(SizeName(8), "8 B");
  EXPECT_EQ(SizeName(1024), "1 KiB");
  EXPECT_EQ(SizeName(64 << 10), "64 KiB");
  EXPECT_EQ(SizeName(3 << 19), "1.5 MiB");
}

// Each job is run by exactly one rank, whatever the number of ranks.
TEST(ProtocolTest, JobsAreSharedOut) {
  for (int size : {1, 2, 3, 5, 24, 30}) {
    int total = 0;
    for (int rank = 0; rank < size; ++rank) total += JobsOf(rank, size, 24);
    EXPECT_EQ(total, 24) << size << " ranks";
  }
  EXPECT_EQ(JobsOf(0, 5, 24), 5);
  EXPECT_EQ(JobsOf(4, 5, 24), 4);
  EXPECT_EQ(JobsOf(25, 30, 24), 0);
}

// The jobs' iterations add up to the total, and the expected sum is work.h's when the
// iterations divide evenly.
TEST(ProtocolTest, IterationsAddUp) {
  uint64_t total = 0;
  for (int job = 0; job < 7; ++job) total += IterationsOfJob(job, 7, 1000);
  EXPECT_EQ(total, 1000u);
  EXPECT_EQ(ExpectedSum(2, 2 * 12345), ExpectedTotal(2, 12345));
  uint64_t looped = 0;
  for (int job = 0; job < 7; ++job) looped += Spin(IterationsOfJob(job, 7, 1000), JobSeed(job));
  EXPECT_EQ(ExpectedSum(7, 1000), looped);
}

// A host's capacity: the CPUs its ranks could use between them, capped by a quota.
TEST(ProtocolTest, HostCapacityIsTheUnionOfTheRanksCpus) {
  auto rank = [](const char* host, const char* cpus, int cores) {
    return RankInfo{.rank = 0, .size = 1, .pid = 1, .ppid = 1, .host = host, .cores = cores,
                    .cpus = cpus, .jobs = 1};
  };
  EXPECT_EQ(HostCapacity({rank("a", "0,1", 2), rank("a", "0,1", 2)}, "a"), 2);  // unbound
  EXPECT_EQ(HostCapacity({rank("a", "0", 1), rank("a", "1", 1)}, "a"), 2);      // bound
  EXPECT_EQ(HostCapacity({rank("a", "0", 1), rank("a", "0", 1)}, "a"), 1);      // taskset -c 0
  EXPECT_EQ(HostCapacity({rank("a", "0,1,2,3", 2), rank("a", "0,1,2,3", 2)}, "a"), 2);  // quota
  EXPECT_EQ(HostCapacity({rank("a", "0", 1), rank("b", "0", 1)}, "b"), 1);
  EXPECT_EQ(HostCapacity({rank("a", "0", 1)}, "c"), 0);
  EXPECT_THAT(ParseCpus("0,2,x,5"), ElementsAre(0, 2, 5));
}

// mpirun is found only as an executable file on the PATH.
TEST(LaunchTest, FindsProgramOnPath) {
  const std::string dir = ::testing::TempDir() + "/find_on_path";
  ::mkdir(dir.c_str(), 0755);
  const std::string runnable = dir + "/bin", plain = dir + "/plain";
  ::mkdir(runnable.c_str(), 0755);
  ::mkdir(plain.c_str(), 0755);
  std::ofstream(runnable + "/mpirun") << "#!/bin/sh\n";
  ::chmod((runnable + "/mpirun").c_str(), 0755);
  std::ofstream(plain + "/mpirun") << "not executable\n";
  ::chmod((plain + "/mpirun").c_str(), 0644);
  EXPECT_EQ(FindOnPath("mpirun", plain + ":" + runnable), runnable + "/mpirun");
  EXPECT_EQ(FindOnPath("mpirun", plain), "");
  EXPECT_EQ(FindOnPath("mpirun", "/nonexistent"), "");
}

TEST(LaunchTest, BuildsTheCommandLine) {
  ::setenv("MPI_TEST_SET", "1", 1);
  ::unsetenv("MPI_TEST_UNSET");
  LaunchPlan plan{.mpirun = "/usr/bin/mpirun",
                  .ranks = 4,
                  .hostfile = "hosts",
                  .oversubscribe = true,
                  .spread_over_hosts = true,
                  .export_variables = {"MPI_TEST_SET", "MPI_TEST_UNSET"},
                  .program = {"/bin/lesson", "--role=rank"}};
  EXPECT_THAT(MpirunArgv(plan),
              ElementsAre("/usr/bin/mpirun", "--bind-to", "none", "--oversubscribe", "-np", "4",
                          "--hostfile", "hosts", "--map-by", "node", "-x", "MPI_TEST_SET",
                          "/bin/lesson", "--role=rank"));
  plan.ranks = 0;  // the hostfile's slots
  plan.oversubscribe = plan.spread_over_hosts = false;
  plan.hostfile.clear();
  plan.export_variables.clear();
  EXPECT_THAT(MpirunArgv(plan),
              ElementsAre("/usr/bin/mpirun", "--bind-to", "none", "/bin/lesson", "--role=rank"));
  EXPECT_EQ(CommandLine({"mpirun", "-np", "2", "a b", "it's"}),
            "mpirun -np 2 'a b' 'it'\\''s'");
}

LaunchResult Failed(int exit_code, std::vector<std::string> other) {
  LaunchResult r;
  r.exit_code = exit_code;
  r.other = std::move(other);
  return r;
}

// The rank and the reason, in one line, from what mpirun 4.1 prints.
TEST(LaunchTest, DescribesFailures) {
  lesson::SetLanguage(lesson::Language::kEnglish);
  EXPECT_EQ(DescribeFailure(Failed(0, {})), std::nullopt);

  LaunchResult killed = Failed(137, {
      "--------------------------------------------------------------------------",
      "Primary job  terminated normally, but 1 process returned",
      "a non-zero exit code. Per user-direction, the job has been aborted.",
      "mpirun noticed that process rank 1 with PID 0 on node vm exited on signal 9 (Killed).",
  });
  EXPECT_EQ(DescribeFailure(killed)->str(), "rank 1 (on vm) was killed by signal 9 (Killed)");

  LaunchResult exited = Failed(3, {
      "mpirun detected that one or more processes exited with non-zero status, thus causing",
      "the job to be terminated. The first process to do so was:", "",
      "  Process name: [[26269,1],1]", "  Exit code:    3"});
  EXPECT_EQ(DescribeFailure(exited)->str(), "rank 1 exited with code 3 before the job was done");

  LaunchResult aborted = Failed(4, {"MPI_ABORT was invoked on rank 2 in communicator MPI_COMM_WORLD",
                                    "with errorcode 4."});
  EXPECT_EQ(DescribeFailure(aborted)->str(), "rank 2 called MPI_Abort (error code 4)");

  // A rank's own words come before mpirun's.
  aborted.report.errors.push_back({.rank = 2, .reason = "the ranks' sum was 1, but the jobs add up to 2"});
  EXPECT_EQ(DescribeFailure(aborted)->str(),
            "rank 2 failed: the ranks' sum was 1, but the jobs add up to 2");

  LaunchResult slots = Failed(1, {"There are not enough slots available in the system to satisfy the 3"});
  EXPECT_THAT(DescribeFailure(slots)->str(), HasSubstr("fewer slots"));

  LaunchResult other = Failed(1, {"-----", "mpirun was unable to launch the specified application"});
  EXPECT_EQ(DescribeFailure(other)->str(),
            "mpirun failed (exit status 1): mpirun was unable to launch the specified application");

  LaunchResult late = Failed(-1, {});
  late.timed_out = true;
  late.mpirun_pid = 77;
  late.seconds = 31;
  EXPECT_THAT(DescribeFailure(late)->str(), HasSubstr("mpirun (pid 77) did not finish in time"));
}

}  // namespace
}  // namespace efficiency::mpi
