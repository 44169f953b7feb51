#include "thread/cores_verdict.h"

#include <string>
#include <vector>

#include "common/run_conditions.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;

lesson::Machine QuietTwoCores() {
  lesson::Machine m;
  m.usable_cores = 2;
  m.online_cores = 2;
  m.cores_description = "2 online, 2 usable";
  m.busy_cores_before = 0.02;
  m.optimised = true;
  return m;
}

// A run as a quiet two-core machine gives it: case 2 takes turns in ~4 ms slices, case 3
// is twice as fast, the sweep levels off at 2 threads.
cores::Figures QuietRun() {
  cores::Figures f;
  f.one_core_one_thread = {400, 400, 1, {200, 400}};
  f.one_core_two_threads = {402, 401, 100, {401, 402}};
  f.two_cores = cores::CaseFigures{201, 400, 2, {200, 201}};
  f.sweep = {{1, 400, 400}, {2, 202, 402}, {3, 205, 404}, {4, 204, 405}};
  return f;
}

std::string All(const std::vector<lesson::Text>& points) {
  std::string text;
  for (const lesson::Text& p : points) text += p.str() + "\n";
  return text;
}

// What //thread:cores concludes from `f` on `machine`, one conclusion a line.
std::string Verdict(const cores::Figures& f, const lesson::Machine& machine) {
  lesson::RunConditions conditions(machine);
  cores::CheckRun(f, conditions);
  return All(cores::Conclusions(f, conditions));
}

// The codes of the warnings CheckRun raises for `f` on `machine` ("busy_machine").
std::vector<std::string> Warnings(const cores::Figures& f, const lesson::Machine& machine) {
  lesson::RunConditions conditions(machine);
  cores::CheckRun(f, conditions);
  std::vector<std::string> codes;
  for (const lesson::Warning& w : conditions.warnings()) codes.push_back(w.code);
  return codes;
}

// The figures behind the sentences: gaps, slice length, plateau and speed-ups.
TEST(CoresVerdictTest, Measures) {
  const cores::Figures f = QuietRun();
  const cores::Slicing s = cores::MeasureSlicing(f);
  EXPECT_DOUBLE_EQ(s.gap_alone_ms, 200);
  EXPECT_DOUBLE_EQ(s.gap_sliced_ms, 1);
  EXPECT_DOUBLE_EQ(s.slice_ms, 4.01);
  EXPECT_TRUE(s.took_turns);
  EXPECT_EQ(cores::PlateauThreads(f.sweep), 2);
  EXPECT_NEAR(cores::SweepSpeedup(f.sweep, 1), 400.0 / 202, 1e-9);
}

// Quiet, two cores, optimised: time slices, parallelism and the plateau at the cores.
TEST(CoresVerdictTest, QuietTwoCores) {
  const std::string v = Verdict(QuietRun(), QuietTwoCores());
  EXPECT_THAT(v, HasSubstr("took the CPU away from a running thread 100 times in 401 ms of "
                           "CPU, once every 4.0 ms"));
  EXPECT_THAT(v, HasSubstr("Case 3 used 1.99 CPU-seconds per second of wall time"));
  EXPECT_THAT(v, HasSubstr("really ran at the same moment, and the work ran 2.00x as fast"));
  EXPECT_THAT(v, HasSubstr("faster up to 2 threads, the 2 usable cores (1.98x)"));
  EXPECT_THAT(v, Not(HasSubstr("not optimised")));
}

// taskset -c 0: no case 3, and the sweep cannot speed up; nothing claims parallelism.
TEST(CoresVerdictTest, OneCore) {
  lesson::Machine m = QuietTwoCores();
  m.usable_cores = 1;
  m.cores_description = "2 online, 1 usable (affinity mask)";
  cores::Figures f = QuietRun();
  f.two_cores.reset();
  f.sweep = {{1, 400, 400}, {2, 401, 400}, {3, 402, 400}};
  EXPECT_THAT(Warnings(f, m), Contains("fewer_cores"));
  const std::string v = Verdict(f, m);
  EXPECT_THAT(v, HasSubstr("Case 3 could not run: this process may use 1 core (2 online, 1 "
                           "usable (affinity mask))"));
  EXPECT_THAT(v, HasSubstr("With one usable core more threads cannot make it faster: the "
                           "sweep's rows measured 1.00x to 1.00x"));
  EXPECT_THAT(v, Not(HasSubstr("really ran at the same moment")));
}

// A busy machine: a poor case 3 and an early plateau are blamed on the other work.
TEST(CoresVerdictTest, BusyMachine) {
  lesson::Machine m = QuietTwoCores();
  m.busy_cores_before = 1.1;
  cores::Figures f = QuietRun();
  f.two_cores = cores::CaseFigures{330, 420, 40, {320, 330}};
  f.sweep = {{1, 400, 400}, {2, 390, 410}, {3, 395, 420}};
  EXPECT_THAT(Warnings(f, m), Contains("busy_machine"));
  const std::string v = Verdict(f, m);
  EXPECT_THAT(v, HasSubstr("Case 3 used only 1.27 CPU-seconds per second"));
  EXPECT_THAT(v, HasSubstr("ran 1.22x as fast as case 2: other work was already using "
                           "1.10 core(s) before the run"));
  EXPECT_THAT(v, HasSubstr("The sweep reached only 1.03x at 2 threads, where 2 usable cores "
                           "could give up to 2x, and stopped improving at 1 thread(s): other "
                           "work had the remaining cores"));
  EXPECT_THAT(v, Not(HasSubstr("really ran at the same moment")));
}

// Busy: the sweep levels off at the core count by chance, far below the ideal speed-up;
// that is not "efficiency is highest at threads = cores".
TEST(CoresVerdictTest, BusySweepLevellingOffAtTheCoresProvesNothing) {
  lesson::Machine m = QuietTwoCores();
  m.busy_cores_before = 1.75;
  cores::Figures f = QuietRun();
  f.sweep = {{1, 414, 364}, {2, 368, 359}, {3, 400, 359}, {4, 420, 365}};
  const std::string v = Verdict(f, m);
  EXPECT_THAT(v, Not(HasSubstr("holds as 'stops improving there'")));
  EXPECT_THAT(v, HasSubstr("The sweep reached only 1.12x at 2 threads"));
}

// Unoptimised: said, with why the ratios still stand.
TEST(CoresVerdictTest, UnoptimisedBuild) {
  lesson::Machine m = QuietTwoCores();
  m.optimised = false;
  const std::string v = Verdict(QuietRun(), m);
  EXPECT_THAT(v, HasSubstr("This build is not optimised"));
  EXPECT_THAT(v, HasSubstr("really ran at the same moment"));
}

// A speed-up two cores cannot give: the machine changed; no parallelism claimed from it.
TEST(CoresVerdictTest, ImplausibleSpeedup) {
  cores::Figures f = QuietRun();
  f.two_cores = cores::CaseFigures{150, 300, 2, {150, 150}};
  f.sweep = {{1, 600, 600}, {2, 200, 400}, {3, 205, 404}};
  EXPECT_THAT(Warnings(f, QuietTwoCores()), Contains("implausible"));
  const std::string v = Verdict(f, QuietTwoCores());
  EXPECT_THAT(v, HasSubstr("Case 3 measured 2.68x over case 2, more than two cores can give"));
  EXPECT_THAT(v, Not(HasSubstr("really ran at the same moment")));
}

// Case 2 that did not take turns (pinning refused) is not called time slicing.
TEST(CoresVerdictTest, NoTurnsNoSlicingClaim) {
  cores::Figures f = QuietRun();
  f.one_core_two_threads = {200, 400, 2, {200, 20}};
  const std::string v = Verdict(f, QuietTwoCores());
  EXPECT_THAT(v, HasSubstr("did not take turns"));
  EXPECT_THAT(v, Not(HasSubstr("按时间片强制切换, measured")));
}

// A busy machine preempts even the lone thread: the count is said to mix both.
TEST(CoresVerdictTest, BusyMachinePreemptsTheLoneThreadToo) {
  cores::Figures f = QuietRun();
  f.one_core_one_thread.preemptions = 90;
  const std::string v = Verdict(f, QuietTwoCores());
  EXPECT_THAT(v, HasSubstr("other programs preempted even the lone thread of case 1 90 times"));
  EXPECT_THAT(v, Not(HasSubstr("按时间片强制切换, measured")));
}

// Few preemptions: the tasks ended together but the count is too small to speak of.
TEST(CoresVerdictTest, TooFewPreemptions) {
  cores::Figures f = QuietRun();
  f.one_core_two_threads.preemptions = 1;
  const std::string v = Verdict(f, QuietTwoCores());
  EXPECT_THAT(v, HasSubstr("only 1 preemptions: too few"));
}

// The sweep stopped below the cores: ask for more threads, conclude nothing else.
TEST(CoresVerdictTest, SweepBelowTheCores) {
  lesson::Machine m = QuietTwoCores();
  m.usable_cores = 4;
  cores::Figures f = QuietRun();
  f.sweep = {{1, 400, 400}, {2, 201, 400}};
  const std::string v = Verdict(f, m);
  EXPECT_THAT(v, HasSubstr("stopped at 2 threads, below the 4 usable cores"));
}

}  // namespace
