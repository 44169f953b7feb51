// Tests of what //efficiency:mpi concludes, fed synthetic runs: the sentence chosen must
// follow from the figures and the machine, never from what the lesson hoped to show.
#include "efficiency/mpi_conclusions.h"

#include <string>
#include <vector>

#include "common/i18n.h"
#include "common/run_conditions.h"
#include "efficiency/results.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace efficiency::mpi {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

lesson::Machine Quiet(int cores) {
  return lesson::Machine{.usable_cores = cores,
                         .online_cores = cores,
                         .cores_description = "test machine",
                         .busy_cores_before = 0,
                         .optimised = true};
}

std::vector<ComputeSample> Runs(std::vector<double> seconds, int ranks) {
  std::vector<ComputeSample> out;
  for (size_t i = 0; i < seconds.size(); ++i) {
    out.push_back({.repeat = static_cast<int>(i), .seconds = seconds[i],
                   .cpu_seconds = seconds[i] * ranks, .sum = 1, .fastest = seconds[i] * 0.98,
                   .slowest = seconds[i] * 0.99});
  }
  return out;
}

// 1 rank 0.34 s, N ranks `many` s, on `hosts` (one rank per entry), pipe 10 us,
// threads 0.3 us, MPI 0.5 us one way for 8 B.
Figures Measured(double many, std::vector<std::string> hosts = {"vm", "vm"}, int cores = 2) {
  Figures f;
  f.jobs = 24;
  f.iterations = 300'000'000;
  f.single = Runs({0.34, 0.33, 0.35}, 1);
  f.ranks = Runs({many, many, many}, static_cast<int>(hosts.size()));
  std::string cpus;  // unbound ranks: each sees every CPU of its machine
  for (int cpu = 0; cpu < cores; ++cpu) cpus += (cpu == 0 ? "" : ",") + std::to_string(cpu);
  for (size_t r = 0; r < hosts.size(); ++r) {
    f.rank_infos.push_back({.rank = static_cast<int>(r), .size = static_cast<int>(hosts.size()),
                            .pid = 100 + static_cast<long>(r), .ppid = 99, .host = hosts[r],
                            .cores = cores, .cpus = cpus,
                            .jobs = 24 / static_cast<int>(hosts.size())});
  }
  for (int64_t bytes : {int64_t{8}, int64_t{1} << 20}) {
    const int rounds = 100;
    auto add = [&](const char* method, double one_way) {
      f.pingpongs.push_back({.method = method, .bytes = bytes, .rounds = rounds,
                             .seconds = one_way * 2 * rounds, .checked = true, .hosts = ""});
    };
    const double big = bytes > 8 ? 1 : 0;
    add("mpi", 0.5e-6 + big * 200e-6);
    add("pipe", 10e-6 + big * 400e-6);
    add("threads", 0.3e-6 + big * 100e-6);
  }
  f.lesson_pid = 98;
  f.mpirun_pid = 99;
  return f;
}

// `f` with the 8-byte ping-pong of `method` ("mpi", "pipe", "threads") taking `one_way`
// seconds each way.
Figures WithOneWay(Figures f, const std::string& method, double one_way) {
  for (PingPong& p : f.pingpongs) {
    if (p.method == method && p.bytes == 8) p.seconds = one_way * 2 * p.rounds;
  }
  return f;
}

struct Outcome {
  std::string notice;  // all points, joined
  std::vector<std::string> codes;
};

Outcome Conclude(const Figures& f, lesson::Machine machine) {
  lesson::SetLanguage(lesson::Language::kEnglish);
  Results results("mpi", lesson::InEachLanguage([] { return lesson::Verbatim("test work"); }));
  results.Add(Rows(f));
  lesson::RunConditions conditions(machine);
  const Conclusion c = MpiConclusions(results, f, conditions);
  Outcome o;
  for (const lesson::Text& point : c.notice) o.notice += point.str() + "\n";
  for (const lesson::Warning& w : conditions.warnings()) o.codes.push_back(w.code);
  return o;
}

// Quiet, two cores, 1.97x: the speedup is said, with the split's ideal beside it.
TEST(MpiConclusionsTest, QuietTwoCoresShowsTheSpeedup) {
  const Outcome o = Conclude(Measured(0.1725), Quiet(2));
  EXPECT_TRUE(o.codes.empty());
  EXPECT_THAT(o.notice, HasSubstr("2 ranks did the work 1.97x faster than 1 rank, close to the "
                                  "2.00x this split allows"));
  EXPECT_THAT(o.notice, HasSubstr("2 separate processes (pids 100, 101), children of mpirun "
                                  "(pid 99), which this lesson (pid 98) started"));
  EXPECT_THAT(o.notice, HasSubstr("进程之间数据通信不方便, measured"));
  EXPECT_THAT(o.notice, HasSubstr("took 33x as long as between the threads"));
  EXPECT_THAT(o.notice, HasSubstr("1.7x the threads' time (0.50 µs against 0.30 µs)"));
  EXPECT_THAT(o.notice, HasSubstr("came back byte for byte"));
  EXPECT_THAT(o.notice, HasSubstr("list them in a hostfile"));
}

// One usable core: the run says it cannot show the speedup, and the ping-pong measured
// the scheduler.
TEST(MpiConclusionsTest, OneCoreCannotShowIt) {
  const Outcome o = Conclude(Measured(0.345, {"vm", "vm"}, 1), Quiet(1));
  EXPECT_THAT(o.codes, ::testing::Contains("fewer_cores"));
  EXPECT_THAT(o.notice, HasSubstr("cannot show ranks computing at once"));
  EXPECT_THAT(o.notice, Not(HasSubstr("did the work")));
  EXPECT_THAT(o.notice, HasSubstr("With one usable core these times mostly measure the scheduler"));
  EXPECT_THAT(o.notice, Not(HasSubstr("进程之间数据通信不方便, measured")));
}

// A busy machine: said, with what was measured.
TEST(MpiConclusionsTest, BusyMachineIsSaid) {
  lesson::Machine busy = Quiet(2);
  busy.busy_cores_before = 1.2;
  const Outcome o = Conclude(Measured(0.3), busy);
  EXPECT_THAT(o.codes, ::testing::Contains("busy_machine"));
  EXPECT_THAT(o.notice, HasSubstr("other work was using 1.20 core(s)"));
  EXPECT_THAT(o.notice, HasSubstr("2 ranks 1.13x"));
  // The ping-pong's comparisons are not drawn either.
  EXPECT_THAT(o.notice, HasSubstr("these times include waiting for a core"));
  EXPECT_THAT(o.notice, Not(HasSubstr("进程之间数据通信不方便, measured")));
}

TEST(MpiConclusionsTest, UnoptimisedBuildIsSaid) {
  lesson::Machine debug = Quiet(2);
  debug.optimised = false;
  const Outcome o = Conclude(Measured(0.1725), debug);
  EXPECT_THAT(o.codes, ::testing::Contains("unoptimised_build"));
  EXPECT_THAT(o.notice, HasSubstr("the build is unoptimised"));
}

// More than two ranks can give: the machine changed under the run.
TEST(MpiConclusionsTest, ImplausibleSpeedupIsSaid) {
  const Outcome o = Conclude(Measured(0.1), Quiet(2));
  EXPECT_THAT(o.codes, ::testing::Contains("implausible"));
  EXPECT_THAT(o.notice, Not(HasSubstr("did the work")));
}

// Quiet but slow: the spread of the ranks is shown, no speedup claimed.
TEST(MpiConclusionsTest, LowSpeedupOnAQuietMachineIsNotCalledOne) {
  const Outcome o = Conclude(Measured(0.28), Quiet(2));
  EXPECT_TRUE(o.codes.empty());
  EXPECT_THAT(o.notice, HasSubstr("below the 2.00x this split allows"));
}

// A hostfile of two one-core machines, a rank each: this machine's single core does not
// matter; the run spread over machines, and says so.
TEST(MpiConclusionsTest, HostfileChecksEachHost) {
  Figures f = Measured(0.1725, {"alpha", "beta"}, 1);
  f.hostfile = true;
  const Outcome o = Conclude(f, Quiet(2));
  EXPECT_THAT(o.codes, Not(::testing::Contains("fewer_cores")));
  EXPECT_THAT(o.notice, HasSubstr("over 2 machines (alpha, beta)"));
  EXPECT_THAT(o.notice, HasSubstr("did the work 1.97x"));

  Figures crowded = Measured(0.3, {"alpha", "alpha"}, 1);
  crowded.hostfile = true;
  const Outcome c = Conclude(crowded, Quiet(2));
  EXPECT_THAT(c.codes, ::testing::Contains("fewer_cores"));
  EXPECT_THAT(c.notice, HasSubstr("a machine had more ranks than cores they could use"));
}

// A learner's own mpirun binds each rank to a core of its own: each rank sees one CPU,
// but the two ranks had two between them, so they did run at once.
TEST(MpiConclusionsTest, RanksBoundToOneCoreEachStillHaveTwo) {
  Figures f = Measured(0.1725, {"vm", "vm"}, 1);
  f.rank_infos[0].cpus = "0";
  f.rank_infos[1].cpus = "1";
  const Outcome o = Conclude(f, Quiet(2));
  EXPECT_THAT(o.codes, Not(::testing::Contains("fewer_cores")));
  EXPECT_THAT(o.notice, HasSubstr("did the work 1.97x"));

  f.rank_infos[1].cpus = "0";  // both bound to the same core: they take turns
  EXPECT_THAT(Conclude(f, Quiet(2)).codes, ::testing::Contains("fewer_cores"));
}

// The pipe and thread ping-pongs ran on the cores the lesson gave them, not the machine's.
TEST(MpiConclusionsTest, PingPongCoresAreTheirOwn) {
  Figures f = Measured(0.1725);
  f.pingpong_cores = 1;
  EXPECT_THAT(Conclude(f, Quiet(2)).notice, HasSubstr("With one usable core these times"));
}

TEST(MpiConclusionsTest, OneRankHasNoSpeedup) {
  Figures f = Measured(0.34, {"vm"});
  const Outcome o = Conclude(f, Quiet(2));
  EXPECT_THAT(o.notice, HasSubstr("no speedup to see"));
  EXPECT_THAT(o.notice, HasSubstr("The rank was a process of its own (pid 100)"));
}

// MPI's shared memory as fast as the threads: said, with why.
TEST(MpiConclusionsTest, MpiAsFastAsThreadsIsExplained) {
  const Outcome o = Conclude(WithOneWay(Measured(0.1725), "mpi", 0.31e-6), Quiet(2));
  EXPECT_THAT(o.notice, HasSubstr("as fast as the threads or faster (0.31 µs against 0.30 µs)"));
}

// Threads no faster than the pipe: no claim that threads talk more cheaply.
TEST(MpiConclusionsTest, NoThreadAdvantageIsNotClaimed) {
  const Outcome o = Conclude(WithOneWay(Measured(0.1725), "threads", 9e-6), Quiet(2));
  EXPECT_THAT(o.notice, HasSubstr("did not show threads talking more cheaply"));
}

// A ping-pong that did not come back whole is never called whole.
TEST(MpiConclusionsTest, UncheckedEchoIsNotCalledWhole) {
  Figures f = Measured(0.1725);
  f.pingpongs[1].checked = false;
  EXPECT_THAT(Conclude(f, Quiet(2)).notice, Not(HasSubstr("byte for byte")));
}

// The tables put a row per size and a column per method.
TEST(MpiConclusionsTest, TablesHaveARowPerSize) {
  lesson::SetLanguage(lesson::Language::kEnglish);
  const std::vector<std::string> lines = PingPongTables(Measured(0.17));
  ASSERT_GE(lines.size(), 9u);
  EXPECT_THAT(lines[0], HasSubstr("MPI, 2 ranks"));
  EXPECT_THAT(lines[2], HasSubstr("8 B"));
  EXPECT_THAT(lines[2], HasSubstr("0.50"));
  EXPECT_THAT(lines[3], HasSubstr("1 MiB"));
}

}  // namespace
}  // namespace efficiency::mpi
