// The chapter's closing points are chosen from each run's figures: here they are fed
// synthetic runs (a quiet one, one where the child printed first, a p1 killed from
// outside, a crash handed to a core-dump program, ...) and the sentence chosen is checked.
#include "process/conclusions.h"

#include <signal.h>
#include <sys/wait.h>

#include <string>
#include <vector>

#include "common/i18n.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace process {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

// The points as one English text, one point per line.
std::string Text(const std::vector<lesson::Text>& points) {
  std::string all;
  for (const lesson::Text& point : points) all += point.str() + "\n";
  return all;
}

class ConclusionsTest : public ::testing::Test {
 protected:
  void SetUp() override { lesson::SetLanguage(lesson::Language::kEnglish); }
};

// --- program_vs_process ---

RunCost Cost(int run, double asked, double used, double system, int faults, double touched) {
  return {.run = run,
          .pid = 1000 + run,
          .asked_ms = asked,
          .used_ms = used,
          .system_ms = system,
          .page_faults = faults,
          .touched_mib = touched,
          .peak_rss_mib = touched + 5};
}

// The extra CPU time is quoted in ms and percent, and blamed on memory when the kernel
// time grew with it (this VM: page faults are expensive).
TEST_F(ConclusionsTest, CpuCostGrowingWithMemory) {
  const std::string point = CpuCostPoint({Cost(1, 100, 198, 117, 4484, 16),
                                          Cost(2, 200, 373, 216, 8581, 32),
                                          Cost(3, 300, 541, 289, 12676, 48)})
                                .str();
  EXPECT_THAT(point, HasSubstr("98 to 241 ms more (+80% to +98%)"));
  EXPECT_THAT(point, HasSubstr("The extra grew with the memory touched: run 1 touched 16 MiB"));
  EXPECT_THAT(point, HasSubstr("(12676 page faults)"));
}

// A quick machine: a few ms more, not growing with memory: blamed on starting the program.
TEST_F(ConclusionsTest, CpuCostNotGrowingWithMemory) {
  const std::string point =
      CpuCostPoint({Cost(1, 100, 108, 4, 4000, 16), Cost(2, 200, 206, 5, 8000, 32)}).str();
  EXPECT_THAT(point, HasSubstr("6 to 8 ms more (+3% to +8%)"));
  EXPECT_THAT(point, HasSubstr("did not grow with the memory touched"));
  EXPECT_THAT(point, Not(HasSubstr("grew with")));
}

// --cpu=0: no percentage of nothing.
TEST_F(ConclusionsTest, CpuCostWithNothingAsked) {
  const std::string point = CpuCostPoint({Cost(1, 0, 12, 8, 500, 0)}).str();
  EXPECT_THAT(point, HasSubstr("used 12 ms of CPU time although it was asked to compute for none"));
  EXPECT_THAT(point, Not(HasSubstr("%")));
}

TEST_F(ConclusionsTest, ProgramVsProcessSaysWhetherAslrWasOn) {
  const std::vector<RunCost> runs = {Cost(1, 100, 110, 5, 100, 16)};
  EXPECT_THAT(Text(ProgramVsProcessPoints(runs, true)), HasSubstr("&g_value differed"));
  EXPECT_THAT(Text(ProgramVsProcessPoints(runs, false)), HasSubstr("ASLR is off"));
  EXPECT_THAT(Text(ProgramVsProcessPoints(runs, true)),
              HasSubstr("peak RSS was 5.0 to 5.0 MiB above the memory it touched"));
}

// --- join ---

constexpr int M = JoinObservation::kMain;
constexpr int C = JoinObservation::kChild;

JoinObservation Join(std::vector<int> order) {
  JoinObservation seen;
  seen.order_without_join = std::move(order);
  seen.order_with_join = {M, C, C, M};
  seen.alive_when_main_done = true;
  seen.child_first_line_ms = 4.3;
  seen.work_ms = 300;
  seen.waited_ms = 305;
  seen.exit_code = 3;
  seen.exit_code_read = 3;
  return seen;
}

TEST_F(ConclusionsTest, JoinTutorialOrder) {
  const std::string text = Text(JoinPoints(Join({M, M, C, C})));
  EXPECT_THAT(text, HasSubstr("main printed both its lines before the child's first"));
  EXPECT_THAT(text, HasSubstr("4.3 ms after Start()"));
  EXPECT_THAT(text, HasSubstr("join() blocked main for 305 ms while the child worked for 300 ms"));
  EXPECT_THAT(text, HasSubstr("its exit code, 3, was there to read"));
}

TEST_F(ConclusionsTest, JoinChildFirst) {
  EXPECT_THAT(Text(JoinPoints(Join({M, C, M, C}))),
              AllOf(HasSubstr("the child's first line came before main's second this time"),
                    HasSubstr("main did not wait for the work")));
}

TEST_F(ConclusionsTest, JoinChildFinishedFirst) {
  JoinObservation seen = Join({M, C, C, M});
  seen.work_ms = 0;
  seen.alive_when_main_done = false;
  const std::string text = Text(JoinPoints(seen));
  EXPECT_THAT(text, HasSubstr("with --work=0ms the child has too little work"));
  EXPECT_THAT(text, HasSubstr("p1.is_alive() was already False"));
}

TEST_F(ConclusionsTest, JoinBrokenGuaranteeIsReportedAsABug) {
  JoinObservation seen = Join({M, M, C, C});
  seen.order_with_join = {M, C, M, C};
  EXPECT_THAT(Text(JoinPoints(seen)), HasSubstr("bug in this lesson"));
  seen = Join({M, M, C, C});
  seen.exit_code_read = 0;
  EXPECT_THAT(Text(JoinPoints(seen)), HasSubstr("(0, expected 3)"));
}

// --- kill ---

// The lesson's own run: the watchdog killed the blocked p1 at its deadline of 1000 ms;
// p2 and p3 then ran and exited with code 0.
KillObservation Kill() {
  return {.deadline_ms = 1000,
          .p1_lived_ms = 1013,
          .p1_signal = SIGKILL,
          .watchdog_fired = true,
          .others_exited_zero = true};
}

// p1 ended by `signal_number` from outside after 2500 ms, long before the deadline of 30 s.
KillObservation KilledFromOutside(int signal_number) {
  KillObservation seen = Kill();
  seen.deadline_ms = 30000;
  seen.p1_lived_ms = 2500;
  seen.p1_signal = signal_number;
  seen.watchdog_fired = false;
  return seen;
}

TEST_F(ConclusionsTest, KillByTheWatchdog) {
  const std::string text = Text(KillPoints(Kill()));
  EXPECT_THAT(text, HasSubstr("killed by signal 9 (SIGKILL) 1013 ms after it started; the "
                              "watchdog's deadline was 1000 ms"));
  EXPECT_THAT(text, HasSubstr("Processes are independent"));
}

TEST_F(ConclusionsTest, KillFromOutside) {
  EXPECT_THAT(Text(KillPoints(KilledFromOutside(SIGKILL))),
              HasSubstr("killed by SIGKILL from outside (you, or another program) after 2500 ms"));
  EXPECT_THAT(Text(KillPoints(KilledFromOutside(SIGTERM))),
              AllOf(HasSubstr("ended by signal 15 (SIGTERM) from outside after 2500 ms"),
                    HasSubstr("main ended the watchdog itself"),
                    Not(HasSubstr("nothing to main, the watchdog"))));
}

TEST_F(ConclusionsTest, KillOthersFailingIsABug) {
  KillObservation seen = Kill();
  seen.others_exited_zero = false;
  EXPECT_THAT(Text(KillPoints(seen)), AllOf(HasSubstr("p2 or p3 did not exit with code 0"),
                                            Not(HasSubstr("Processes are independent"))));
}

// --- crash_isolation ---

CrashObservation Crashes(bool sibling_running, int core_flag) {
  CrashObservation seen;
  seen.crashes.push_back({.expected_signal = SIGSEGV,
                          .status = ExitStatus::FromWaitStatus(W_EXITCODE(0, SIGSEGV) | core_flag),
                          .sibling_running_at_reap = sibling_running});
  seen.crashes.push_back({.expected_signal = SIGABRT,
                          .status = ExitStatus::FromWaitStatus(W_EXITCODE(0, SIGABRT) | core_flag),
                          .sibling_running_at_reap = sibling_running});
  seen.sibling_exit_code = 0;
  seen.sibling_work_ms = 30;
  seen.core_pattern = "|/lib/systemd/systemd-coredump %P";
  return seen;
}

TEST_F(ConclusionsTest, CrashesIsolated) {
  const std::string text = Text(CrashIsolationPoints(Crashes(true, 0)));
  EXPECT_THAT(text, HasSubstr("signal 11 (SIGSEGV) and the other with signal 6 (SIGABRT)"));
  EXPECT_THAT(text, HasSubstr("The sibling was still running when the crashes were reaped"));
  EXPECT_THAT(text, HasSubstr("No core file was written"));
}

TEST_F(ConclusionsTest, CrashSiblingDoneTooEarly) {
  EXPECT_THAT(Text(CrashIsolationPoints(Crashes(false, 0))),
              HasSubstr("The sibling had already finished its 30 ms of work"));
}

TEST_F(ConclusionsTest, CrashHandedToACoreDumpProgram) {
  EXPECT_THAT(Text(CrashIsolationPoints(Crashes(true, WCOREFLAG))),
              HasSubstr("kernel.core_pattern = |/lib/systemd/systemd-coredump %P"));
}

TEST_F(ConclusionsTest, CrashCaughtByAHandler) {
  CrashObservation seen = Crashes(true, 0);
  seen.crashes[0].status = ExitStatus::FromWaitStatus(W_EXITCODE(1, 0));  // A sanitizer's exit(1).
  EXPECT_THAT(Text(CrashIsolationPoints(seen)),
              HasSubstr("did not end as planned (exited with code 1; killed by signal 6"));
}

// --- address_space ---

TEST_F(ConclusionsTest, AddressSpace) {
  AddressSpaceObservation seen{.increments = 12345,
                               .address = "0x55d0",
                               .parent_after_join = 0,
                               .received = 12345,
                               .received_bytes = 5,
                               .shared_after_join = 12345};
  const std::string text = Text(AddressSpacePoints(seen));
  EXPECT_THAT(text, HasSubstr("The same address (0x55d0) held 12345 in the child and 0 in the "
                              "parent"));
  EXPECT_THAT(text, HasSubstr("5 bytes through a pipe"));
  EXPECT_THAT(text, HasSubstr("the child's 12345 increments directly"));
  seen.parent_after_join = 12345;
  EXPECT_THAT(Text(AddressSpacePoints(seen)), HasSubstr("read 12345 at &g_counter after join()"));
}

}  // namespace
}  // namespace process
