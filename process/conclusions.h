// process/conclusions.h — what each lesson of this chapter concludes from its own run.
//
// A lesson's closing points ("What to notice") must be true of the run the reader just
// watched: the figures of that run choose the sentences, and the sentences quote them.
// Each lesson gathers what it observed into one of the structs below and hands it to its
// function here; process/conclusions_test.cc feeds them synthetic observations (a quiet
// run, a run where the child was first, a p1 killed from outside, ...) and checks the
// sentence chosen. The points are in the reader's language (common/message.h).
#ifndef PROCESS_CONCLUSIONS_H_
#define PROCESS_CONCLUSIONS_H_

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "common/message.h"
#include "process/process.h"

namespace process {

// --- //process:program_vs_process -------------------------------------------------------

// One run of the program, as wait4 accounted it.
struct RunCost {
  int run = 0;
  pid_t pid = 0;
  double asked_ms = 0;      // CPU time the run was told to compute
  double used_ms = 0;       // user + system CPU time the kernel accounted to it
  double system_ms = 0;     // of which in the kernel (page faults, exec, exit)
  int64_t page_faults = 0;  // minor + major
  double touched_mib = 0;   // memory the run allocated and wrote
  double peak_rss_mib = 0;  // its peak resident set size
};

// How much more CPU time the runs used than they were asked for, and why (from the
// kernel time and page faults, when they grew with the memory touched).
lesson::Text CpuCostPoint(const std::vector<RunCost>& runs);

// All the lesson's points. `addresses_randomised`: ASLR was on for the runs.
std::vector<lesson::Text> ProgramVsProcessPoints(const std::vector<RunCost>& runs,
                                                 bool addresses_randomised);

// --- //process:join ----------------------------------------------------------------------

struct JoinObservation {
  static constexpr int kMain = 0;
  static constexpr int kChild = 1;
  // Who printed each tutorial line, in the order they came out (process/print_order.h).
  std::vector<int> order_without_join;
  std::vector<int> order_with_join;
  bool alive_when_main_done = false;  // p1.is_alive() right after main's last line
  double child_first_line_ms = -1;    // from Start() to the child's first line (no join)
  double work_ms = 0;                 // --work
  double waited_ms = 0;               // how long join() blocked main
  int exit_code = 0;                  // what the child returned (--exit_code)
  int exit_code_read = -1;            // what p1.exitcode said after join()
};

std::vector<lesson::Text> JoinPoints(const JoinObservation& seen);

// --- //process:kill ----------------------------------------------------------------------

struct KillObservation {
  double deadline_ms = 0;           // --deadline
  double p1_lived_ms = 0;           // from p1's start until main reaped it
  int p1_signal = 0;                // the signal that ended p1 (0: it exited)
  bool watchdog_fired = false;      // the watchdog reached its deadline and sent SIGKILL
  bool others_exited_zero = false;  // p2 and p3 both exited with code 0
};

std::vector<lesson::Text> KillPoints(const KillObservation& seen);

// --- //process:crash_isolation -----------------------------------------------------------

struct CrashObservation {
  struct Crash {
    int expected_signal = 0;  // SIGSEGV or SIGABRT
    ExitStatus status;        // how it really ended
    bool sibling_running_at_reap = false;
  };
  std::vector<Crash> crashes;   // in the order they were reaped
  int sibling_exit_code = -1;   // Python's exitcode of the sibling
  double sibling_work_ms = 0;   // --sibling_work
  std::string core_pattern;     // kernel.core_pattern ("core", "|/lib/systemd/...")
};

std::vector<lesson::Text> CrashIsolationPoints(const CrashObservation& seen);

// --- //process:address_space -------------------------------------------------------------

struct AddressSpaceObservation {
  int64_t increments = 0;       // what the child added to its copy of g_counter
  std::string address;          // &g_counter, the same in parent and child
  long parent_after_join = -1;  // g_counter in the parent after the child ended
  long received = -1;           // the value that came back through the pipe
  int received_bytes = 0;
  long shared_after_join = -1;  // the MAP_SHARED counter, read by the parent
};

std::vector<lesson::Text> AddressSpacePoints(const AddressSpaceObservation& seen);

}  // namespace process

#endif  // PROCESS_CONCLUSIONS_H_
