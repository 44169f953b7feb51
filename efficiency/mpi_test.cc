// Tests of //efficiency:mpi's real runs: mpirun, ranks, messages. Each run is checked for
// processes left behind (ranks, mpirun, orted) by looking for a mark in every process's
// environment: Open MPI puts each rank in a process group of its own, so the group check
// of lesson::RunProgram alone would not see them. Speed-ups are the experiment's
// business, not these tests'.
#include <dirent.h>
#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/lesson_testing.h"
#include "common/machine.h"
#include "common/run_program.h"
#include "common/trace_reading.h"
#include "efficiency/experiment_testing.h"
#include "efficiency/mpi_protocol.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace efficiency_test {
namespace {

constexpr char kBinary[] = "efficiency/mpi";
// Short runs: the tests check behaviour, not speed.
const std::vector<std::string> kShort = {"--iterations=2000000", "--repeats=1", "--sizes=8,64K"};

std::vector<std::string> With(std::vector<std::string> flags) {
  flags.insert(flags.begin(), kShort.begin(), kShort.end());
  return flags;
}

// /proc/<pid>/<name> (environ, cmdline): NUL-separated strings.
std::string ProcFile(pid_t pid, const char* name) {
  std::ifstream file(absl::StrCat("/proc/", pid, "/", name));
  return std::string(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
}

// Processes (other than this test) whose environment carries `mark`.
std::vector<pid_t> Marked(const std::string& mark) {
  std::vector<pid_t> found;
  DIR* proc = ::opendir("/proc");
  if (proc == nullptr) return found;
  while (dirent* entry = ::readdir(proc)) {
    const pid_t pid = static_cast<pid_t>(std::atoi(entry->d_name));
    if (pid <= 0 || pid == ::getpid()) continue;
    if (ProcFile(pid, "environ").find(mark) != std::string::npos) found.push_back(pid);
  }
  ::closedir(proc);
  return found;
}

// Runs `run` with a fresh mark in the environment its processes inherit; afterwards (a
// second's grace for processes that are ending) fails the test for every marked process
// still alive, and kills it so that the test leaves nothing either.
template <typename Run>
auto RunMarked(Run run) {
  static int counter = 0;
  const std::string mark = absl::StrCat("MPI_LESSON_TEST_MARK=", ::getpid(), "-", ++counter);
  const std::string value = mark.substr(mark.find('=') + 1);
  ::setenv("MPI_LESSON_TEST_MARK", value.c_str(), 1);
  auto result = run();
  ::unsetenv("MPI_LESSON_TEST_MARK");
  std::vector<pid_t> left = Marked(mark);
  for (int i = 0; i < 20 && !left.empty(); ++i) {
    ::usleep(50'000);
    left = Marked(mark);
  }
  for (pid_t pid : left) {
    ADD_FAILURE() << "left running: pid " << pid << ": " << ProcFile(pid, "cmdline");
    ::kill(pid, SIGKILL);
  }
  return result;
}

Json RunMpiJson(const std::vector<std::string>& flags) {
  return RunMarked([&] { return RunJson(kBinary, flags); });
}

lesson::ProgramResult RunMpi(const std::vector<std::string>& flags) {
  return RunMarked([&] { return RunExperiment(kBinary, flags); });
}

// Two ranks return the same sum as one (and as work.h's closed form); both modes follow
// the experiments' JSON contract; the ranks are separate processes, children of mpirun.
TEST(MpiTest, TwoRanksGiveTheSameSumAsOne) {
  Json json = RunMpiJson(With({"--ranks=2"}));
  ExpectContract(json, "mpi", {"single", "ranks"});
  EXPECT_EQ(RowOf(json, "ranks")["workers"], 2);
  const Json& d = json["details"];
  const std::string expected =
      std::to_string(efficiency::mpi::ExpectedSum(24, 2'000'000));
  EXPECT_EQ(d["checksum"], expected);
  ASSERT_EQ(d["single_sums"].size(), 1u);
  ASSERT_EQ(d["ranks_sums"].size(), 1u);
  EXPECT_EQ(d["single_sums"][0], expected);
  EXPECT_EQ(d["ranks_sums"][0], expected);
  ASSERT_EQ(d["ranks"].size(), 2u);
  std::set<int64_t> pids;
  for (const Json& rank : d["ranks"]) {
    pids.insert(rank["pid"].get<int64_t>());
    EXPECT_EQ(rank["ppid"], d["mpirun_pid"]) << "a rank's parent is mpirun";
    EXPECT_EQ(rank["jobs"], 12);
  }
  EXPECT_EQ(pids.size(), 2u) << "each rank is a process of its own";
  EXPECT_THAT(pids, Not(Contains(d["lesson_pid"].get<int64_t>())));
}

// The ping-pong returns every byte, for each size and each way (MPI, pipe, threads).
TEST(MpiTest, PingPongReturnsEveryByte) {
  Json json = RunMpiJson(With({"--ranks=2", "--sizes=1,65537,1M"}));
  const Json& rows = json["details"]["communication"];
  ASSERT_EQ(rows.size(), 9u) << rows;
  for (const Json& row : rows) {
    EXPECT_TRUE(row["checked"].get<bool>()) << row;
    EXPECT_GT(row["rounds"].get<int>(), 0) << row;
    EXPECT_GT(row["one_way_us"].get<double>(), 0) << row;
  }
  for (const char* method : {"mpi", "pipe", "threads"}) {
    int sizes = 0;
    for (const Json& row : rows) sizes += row["method"] == method;
    EXPECT_EQ(sizes, 3) << method;
  }
}

// More ranks than usable cores: they run (--oversubscribe), and the run says the speedup
// cannot show.
TEST(MpiTest, MoreRanksThanCoresIsSaid) {
  const int ranks = lesson::AffinityCores() + 1;
  Json json = RunMpiJson(With({"--ranks=" + std::to_string(ranks)}));
  EXPECT_EQ(RowOf(json, "ranks")["workers"], ranks);
  EXPECT_THAT(WarningCodes(json), Contains("fewer_cores"));
}

// A rank that crashes: one line naming the rank and how it died, exit 1.
TEST(MpiTest, CrashedRankIsNamed) {
  lesson::ProgramResult r = RunMpi(With({"--ranks=2", "--fail_rank=1"}));
  EXPECT_EQ(r.exit_code, 1) << r.stderr_text;
  EXPECT_EQ(Lines(r.stderr_text).size(), 1u) << r.stderr_text;
  EXPECT_THAT(r.stderr_text, HasSubstr("rank 1"));
  EXPECT_THAT(r.stderr_text, HasSubstr("killed by signal 9"));
  EXPECT_FALSE(r.timed_out);
}

// A rank that fails in its own words: they reach the learner, in the learner's language.
TEST(MpiTest, FailedRankSaysWhyInTheReadersLanguage) {
  lesson::ProgramResult r = RunMpi(With({"--ranks=2", "--fail_rank=1", "--fail_how=error"}));
  EXPECT_EQ(r.exit_code, 1) << r.stderr_text;
  EXPECT_EQ(Lines(r.stderr_text).size(), 1u) << r.stderr_text;
  EXPECT_THAT(r.stderr_text, HasSubstr("rank 1 failed: it was told to fail"));

  lesson::ProgramResult zh =
      RunMpi(With({"--ranks=2", "--fail_rank=1", "--fail_how=error", "--lang=zh"}));
  EXPECT_EQ(zh.exit_code, 1) << zh.stderr_text;
  EXPECT_THAT(zh.stderr_text, HasSubstr("--fail_rank=1"));
  EXPECT_THAT(zh.stderr_text, Not(HasSubstr("it was told to fail")));
  EXPECT_THAT(zh.stderr_text, Not(HasSubstr("failed")));
}

// The readable run: both modes, the ranks' table, the ping-pong tables, what to notice.
TEST(MpiTest, PrintsTheLesson) {
  lesson::ProgramResult r = RunMpi(With({"--ranks=2"}));
  ASSERT_THAT(r, RanCleanly());
  const std::string& out = r.stdout_text;
  EXPECT_THAT(out, HasSubstr("--- 1 rank"));
  EXPECT_THAT(out, HasSubstr("--- 2 ranks"));
  EXPECT_THAT(out, HasSubstr("mpirun --bind-to none -np 2"));
  EXPECT_THAT(out, HasSubstr("parent pid"));
  EXPECT_THAT(out, HasSubstr("one way, µs"));
  EXPECT_THAT(out, HasSubstr("bandwidth, MB/s"));
  EXPECT_THAT(out, HasSubstr("What to notice"));
  EXPECT_THAT(out, HasSubstr("separate processes"));
  if (::geteuid() == 0) {
    EXPECT_THAT(out, HasSubstr("sets OMPI_ALLOW_RUN_AS_ROOT=1"));
  } else {
    EXPECT_THAT(out, Not(HasSubstr("OMPI_ALLOW_RUN_AS_ROOT")));
  }
}

// Started by a learner's own mpirun, the program runs the whole lesson inside that job,
// and the ranks speak the language of the environment they inherited (LANGUAGE).
TEST(MpiTest, RunsUnderYourOwnMpirunInYourLanguage) {
  const std::string binary = lesson::RunfilePath(kBinary);
  std::vector<std::string> argv = {"/usr/bin/env", "LANGUAGE=zh_CN"};
  if (::geteuid() == 0) {
    argv.insert(argv.end(), {"OMPI_ALLOW_RUN_AS_ROOT=1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1"});
  }
  argv.insert(argv.end(), {"mpirun", "--oversubscribe", "--bind-to", "none", "-np", "2", binary});
  argv.insert(argv.end(), kShort.begin(), kShort.end());
  lesson::ProgramResult r =
      RunMarked([&] { return lesson::RunProgram(argv, ExperimentOptions()); });
  ASSERT_THAT(r, RanCleanly());
  EXPECT_THAT(r.stdout_text, HasSubstr("mpirun"));
  EXPECT_THAT(r.stdout_text, HasSubstr("MPI_Reduce"));
  EXPECT_THAT(r.stdout_text, Not(HasSubstr("What to notice")));  // Chinese, not English
  EXPECT_THAT(r.stdout_text, Not(HasSubstr("Your mpirun started")));
}

// Your own mpirun binds each rank to a core of its own (with as many cores as ranks): the
// lesson counts the cores the ranks had between them, not rank 0's one, and gives rank 0
// the job's cores back for the pipe and the threads.
TEST(MpiTest, YourOwnMpirunsBindingIsNotTakenForOneCore) {
  if (lesson::AffinityCores() < 2) GTEST_SKIP() << "one usable core: mpirun -np 2 would refuse";
  std::vector<std::string> argv = {"/usr/bin/env"};
  if (::geteuid() == 0) {
    argv.insert(argv.end(), {"OMPI_ALLOW_RUN_AS_ROOT=1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1"});
  }
  argv.insert(argv.end(), {"mpirun", "-np", "2", lesson::RunfilePath(kBinary), "--json"});
  argv.insert(argv.end(), kShort.begin(), kShort.end());
  lesson::ProgramResult r =
      RunMarked([&] { return lesson::RunProgram(argv, ExperimentOptions()); });
  ASSERT_THAT(r, RanCleanly());
  Json json = Json::parse(r.stdout_text, nullptr, /*allow_exceptions=*/false);
  ASSERT_TRUE(json.is_object()) << r.stdout_text;
  ExpectContract(json, "mpi", {"single", "ranks"});
  const Json& ranks = json["details"]["ranks"];
  ASSERT_EQ(ranks.size(), 2u);
  EXPECT_NE(ranks[0]["cpus"], ranks[1]["cpus"]) << "mpirun -np 2 binds each rank to a core";
  EXPECT_THAT(WarningCodes(json), Not(Contains("fewer_cores")));
  EXPECT_EQ(json["cores"], 2) << "rank 0 observed the machine with the job's cores";
}

// --trace: every rank of every launch is a process of its own in the one merged file,
// with its compute span.
TEST(MpiTest, TraceShowsEveryRank) {
  const trace_reading::Trace trace =
      RunMarked([&] { return RunTraced(kBinary, With({"--ranks=2"})); });
  ASSERT_EQ(trace.error, "");
  std::set<long> rank_pids, computing;
  for (const auto& [pid, name] : trace.process_names) {
    if (name.starts_with("rank ")) rank_pids.insert(pid);
  }
  for (const trace_reading::Event& e : trace.OfPhase("B")) {
    if (e.name.starts_with("compute:")) computing.insert(e.pid);
  }
  // 1 rank, then 2 ranks, then the ping-pong's 2: five processes, three of them computing.
  EXPECT_EQ(rank_pids.size(), 5u);
  EXPECT_EQ(computing.size(), 3u);
  for (long pid : computing) EXPECT_THAT(rank_pids, Contains(pid));
}

}  // namespace
}  // namespace efficiency_test
