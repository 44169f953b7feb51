#include "process/conclusions.h"

#include <signal.h>
#include <string.h>

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "common/i18n.h"
#include "process/describe.h"

namespace process {
namespace {

// Two sentences as one point: a space between them in English, none after a Chinese "。".
lesson::Text Sentences(const lesson::Text& first, const lesson::Text& second) {
  return lesson::Verbatim(first.str() + (lesson::Chinese() ? "" : " ") + second.str());
}

std::string SignalName(int signal_number) {
  const char* abbreviation = sigabbrev_np(signal_number);
  return abbreviation != nullptr ? abbreviation : "?";
}

// Index of the n-th (1-based) line printed by `who`, or -1.
int NthLineOf(const std::vector<int>& order, int who, int n) {
  for (size_t i = 0; i < order.size(); ++i) {
    if (order[i] == who && --n == 0) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace

// --- //process:program_vs_process -------------------------------------------------------

lesson::Text CpuCostPoint(const std::vector<RunCost>& runs) {
  if (runs.empty()) return lesson::Tr("No run was measured.");
  double least = runs[0].used_ms - runs[0].asked_ms, most = least;
  double least_percent = 0, most_percent = 0;
  bool percent_known = true;
  for (size_t i = 0; i < runs.size(); ++i) {
    const double extra = runs[i].used_ms - runs[i].asked_ms;
    least = std::min(least, extra);
    most = std::max(most, extra);
    if (runs[i].asked_ms <= 0) {
      percent_known = false;
      continue;
    }
    const double percent = extra / runs[i].asked_ms * 100;
    least_percent = i == 0 ? percent : std::min(least_percent, percent);
    most_percent = i == 0 ? percent : std::max(most_percent, percent);
  }

  lesson::Text how_much =
      runs.size() == 1
          ? (percent_known
                 ? lesson::Format("The run used %.0f ms of CPU time where it was asked to compute "
                                  "for %.0f ms: %.0f ms (%.0f%%) more.",
                                  runs[0].used_ms, runs[0].asked_ms, most, most_percent)
                 : lesson::Format("The run used %.0f ms of CPU time although it was asked to "
                                  "compute for none.",
                                  runs[0].used_ms))
          : (percent_known
                 ? lesson::Format("Every run used more CPU time than it was asked to compute: "
                                  "%.0f to %.0f ms more (+%.0f%% to +%.0f%%).",
                                  least, most, least_percent, most_percent)
                 : lesson::Format("Every run used more CPU time than it was asked to compute: "
                                  "%.0f to %.0f ms more.",
                                  least, most));

  const RunCost& first = runs.front();
  const RunCost& last = runs.back();
  if (runs.size() < 2 || last.touched_mib <= first.touched_mib) {
    return Sentences(how_much,
                     lesson::Format("That extra is the price of being a process: starting the "
                                    "program (loading it and its libraries) and being given "
                                    "memory (%.0f ms in the kernel, %d page faults, in run %d).",
                                    last.system_ms, last.page_faults, last.run));
  }
  const double first_extra = first.used_ms - first.asked_ms;
  const double last_extra = last.used_ms - last.asked_ms;
  if (last_extra > first_extra && last.system_ms > first.system_ms) {
    return Sentences(
        how_much,
        lesson::Format("The extra grew with the memory touched: run %d touched %.0f MiB and "
                       "spent %.0f ms in the kernel (%d page faults), run %d touched %.0f MiB "
                       "and spent %.0f ms there (%d page faults). Starting a program and giving "
                       "it memory cost CPU time too.",
                       first.run, first.touched_mib, first.system_ms, first.page_faults,
                       last.run, last.touched_mib, last.system_ms, last.page_faults));
  }
  return Sentences(
      how_much,
      lesson::Format("The extra did not grow with the memory touched (run %d: %.0f ms more for "
                     "%.0f MiB, run %d: %.0f ms more for %.0f MiB): most of it is starting the "
                     "program, loading it and its libraries, not its memory.",
                     first.run, first_extra, first.touched_mib, last.run, last_extra,
                     last.touched_mib));
}

std::vector<lesson::Text> ProgramVsProcessPoints(const std::vector<RunCost>& runs,
                                                 bool addresses_randomised) {
  std::vector<lesson::Text> points;
  std::vector<std::string> pids;
  for (const RunCost& run : runs) pids.push_back(absl::StrFormat("%d", run.pid));
  points.push_back(lesson::Format(
      "One file, %d processes: each run got a PID of its own (%s). A program is a process "
      "only while it runs; on disk it is just bytes.",
      static_cast<int>(runs.size()), absl::StrJoin(pids, ", ")));
  points.push_back(lesson::Tr(
      "Each process had its own g_value, set to its run number, while main's stayed 0: every "
      "process has its own memory, and the kernel accounts each one's CPU time and memory "
      "separately and hands the totals to the parent when it reaps the child."));
  points.push_back(
      addresses_randomised
          ? lesson::Tr("&g_value differed from run to run: each exec loads the program at a new "
                       "random address (ASLR). A forked child, by contrast, keeps its parent's "
                       "addresses (//process:main_and_child).")
          : lesson::Tr("ASLR is off for these runs (kernel.randomize_va_space = 0, or setarch "
                       "-R), so every run had g_value at the same address; with ASLR on, each "
                       "exec loads the program at a new random address."));
  points.push_back(CpuCostPoint(runs));
  if (!runs.empty()) {
    double least_above = runs[0].peak_rss_mib - runs[0].touched_mib, most_above = least_above;
    for (const RunCost& run : runs) {
      least_above = std::min(least_above, run.peak_rss_mib - run.touched_mib);
      most_above = std::max(most_above, run.peak_rss_mib - run.touched_mib);
    }
    points.push_back(lesson::Format(
        "Each run's peak RSS was %.1f to %.1f MiB above the memory it touched: the program's "
        "code and libraries, paged in from the file on disk, and its stack. The disk is not as "
        "unrelated to a running process as the tutorial says.",
        least_above, most_above));
  }
  points.push_back(lesson::Tr(
      "Correction to the tutorial: runs are different processes because each is a new process "
      "(a new PID), not because their memory or run time differ; those could be identical."));
  points.push_back(lesson::Tr(
      "What varies from run to run: the PIDs, the addresses, and the CPU and memory figures."));
  return points;
}

// --- //process:join ----------------------------------------------------------------------

std::vector<lesson::Text> JoinPoints(const JoinObservation& seen) {
  using K = JoinObservation;
  std::vector<lesson::Text> points;
  const std::vector<int>& order = seen.order_without_join;
  const int main_second = NthLineOf(order, K::kMain, 2);
  const int child_first = NthLineOf(order, K::kChild, 1);
  const int child_last = NthLineOf(order, K::kChild, 2);
  if (main_second < 0 || child_first < 0 || child_last < 0) {
    points.push_back(lesson::Tr("Without join(), the order of the lines could not be recorded "
                                "in this run."));
  } else if (main_second < child_first) {
    points.push_back(lesson::Format(
        "Without join(), main printed both its lines before the child's first (main, main, "
        "child, child, as in the tutorial): Start() returns as soon as the child exists, and "
        "main went straight on. The child's first line came %.1f ms after Start().",
        seen.child_first_line_ms));
  } else if (main_second < child_last) {
    points.push_back(lesson::Format(
        "Without join(), the child's first line came before main's second this time (main, "
        "child, main, child; the child's first line %.1f ms after Start()): both processes ran "
        "at once, and which prints first is up to the scheduler. Main's second line still came "
        "before the child's last: main did not wait for the work.",
        seen.child_first_line_ms));
  } else {
    points.push_back(lesson::Format(
        "Without join(), the child printed both its lines before main's second this time "
        "(main, child, child, main): with --work=%.0fms the child has too little work to show "
        "main not waiting. Try --work=300ms.",
        seen.work_ms));
  }
  points.push_back(seen.alive_when_main_done
                       ? lesson::Tr("When main's code was done, p1.is_alive() was True: main had "
                                    "not waited for its child.")
                       : lesson::Tr("When main's code was done, p1.is_alive() was already False: "
                                    "the child had finished first, this time."));
  const std::vector<int> fixed = {K::kMain, K::kChild, K::kChild, K::kMain};
  if (seen.order_with_join == fixed && seen.exit_code_read == seen.exit_code) {
    points.push_back(lesson::Format(
        "With join() the order was main, child, child, main: join() blocked main for %.0f ms "
        "while the child worked for %.0f ms, and then its exit code, %d, was there to read "
        "(p1.exitcode).",
        seen.waited_ms, seen.work_ms, seen.exit_code_read));
  } else {
    points.push_back(lesson::Format(
        "With join() the lines or the exit code (%d, expected %d) were not what join() "
        "guarantees: that is a bug in this lesson; please report it.",
        seen.exit_code_read, seen.exit_code));
  }
  points.push_back(lesson::Tr(
      "Correction: Python's main process does not really end first; multiprocessing joins "
      "non-daemon children when the interpreter exits. A C/C++ parent that does not wait really "
      "ends first, and its child is re-parented (its PPID changes) to a subreaper or to init."));
  points.push_back(lesson::Tr(
      "Exit codes are one byte: --exit_code=256 would read back as 0, which is why the flag "
      "stops at 255."));
  return points;
}

// --- //process:kill ----------------------------------------------------------------------

std::vector<lesson::Text> KillPoints(const KillObservation& seen) {
  std::vector<lesson::Text> points;
  if (seen.p1_signal == SIGKILL && seen.watchdog_fired) {
    points.push_back(lesson::Format(
        "p1 was killed by signal 9 (SIGKILL) %.0f ms after it started; the watchdog's deadline "
        "was %.0f ms. It had no say and could not clean up; its exit status records the signal "
        "(Python's p1.exitcode would be -9).",
        seen.p1_lived_ms, seen.deadline_ms));
  } else if (seen.p1_signal == SIGKILL) {
    points.push_back(lesson::Format(
        "p1 was killed by SIGKILL from outside (you, or another program) after %.0f ms, before "
        "the watchdog's deadline of %.0f ms; the watchdog was no longer needed, and main ended "
        "it.",
        seen.p1_lived_ms, seen.deadline_ms));
  } else if (seen.p1_signal != 0) {
    points.push_back(lesson::Format(
        "p1 was ended by signal %d (SIG%s) from outside after %.0f ms, not by the watchdog. A "
        "process may catch or ignore that signal; p1 kept the default action, so it died "
        "(Python's p1.exitcode would be -%d).",
        seen.p1_signal, SignalName(seen.p1_signal), seen.p1_lived_ms, seen.p1_signal));
  } else {
    points.push_back(lesson::Tr(
        "p1 ended without a signal, although it blocks forever: that is a bug in this lesson; "
        "please report it."));
  }
  if (!seen.others_exited_zero) {
    points.push_back(lesson::Tr("p2 or p3 did not exit with code 0, although nothing happened "
                                "to them: that is a bug in this lesson; please report it."));
  } else if (seen.watchdog_fired) {
    points.push_back(lesson::Tr("Ending p1 did nothing to main, the watchdog, p2 or p3: p2 and "
                                "p3 ran and exited with code 0. Processes are independent of "
                                "each other."));
  } else {
    points.push_back(lesson::Tr("Ending p1 did nothing to main, p2 or p3: p2 and p3 ran and "
                                "exited with code 0 (main ended the watchdog itself, as it was "
                                "no longer needed). Processes are independent of each other."));
  }
  points.push_back(lesson::Tr(
      "p2 and p3 could not run before only because main chose to wait for p1; nothing in the "
      "operating system tied them together. A timeout on the wait (p1.Join(timeout)) is the "
      "way out in code, without a watchdog."));
  points.push_back(lesson::Tr(
      "`kill <pid>` without -9 sends SIGTERM, which a process may handle or ignore; try it with "
      "--deadline=30s and see how p1's end is reported."));
  points.push_back(lesson::Tr("What varies: PIDs and the exact milliseconds."));
  return points;
}

// --- //process:crash_isolation -----------------------------------------------------------

std::vector<lesson::Text> CrashIsolationPoints(const CrashObservation& seen) {
  std::vector<lesson::Text> points;
  bool as_expected = seen.crashes.size() == 2;
  bool core_dumped = false;
  bool sibling_outlived = true;
  std::vector<std::string> how;
  for (const CrashObservation::Crash& crash : seen.crashes) {
    as_expected = as_expected && crash.status.signaled() &&
                  crash.status.signal() == crash.expected_signal;
    core_dumped = core_dumped || crash.status.core_dumped();
    sibling_outlived = sibling_outlived && crash.sibling_running_at_reap;
    how.push_back(DescribeExit(crash.status).str());
  }
  if (as_expected) {
    const int a = seen.crashes[0].status.signal(), b = seen.crashes[1].status.signal();
    points.push_back(lesson::Format(
        "Each crash ended exactly one process: the kernel killed one child with signal %d "
        "(SIG%s) and the other with signal %d (SIG%s), and recorded it in the wait status, "
        "which is how the parent could tell what happened. Python reports the same as exitcode "
        "-%d and -%d.",
        a, SignalName(a), b, SignalName(b), a, b));
  } else {
    points.push_back(lesson::Format(
        "The crashing children did not end as planned (%s): something on this machine caught "
        "the crash (a debugger or a sanitizer's handler?).",
        absl::StrJoin(how, "; ")));
  }
  if (seen.sibling_exit_code == 0 && sibling_outlived) {
    points.push_back(lesson::Tr(
        "The sibling was still running when the crashes were reaped, then finished all its "
        "steps and exited with code 0: each process has its own address space, so a wild store "
        "in one cannot touch another."));
  } else if (seen.sibling_exit_code == 0) {
    points.push_back(lesson::Format(
        "The sibling had already finished its %.0f ms of work when a crash was reaped, so this "
        "run shows less than it should; it still exited with code 0. Give it longer "
        "(--sibling_work=1s) to see it outlive the crashes.",
        seen.sibling_work_ms));
  } else {
    points.push_back(lesson::Format(
        "The sibling ended with exitcode %d, not 0, although nothing should reach it: that is a "
        "bug in this lesson; please report it.",
        seen.sibling_exit_code));
  }
  points.push_back(
      core_dumped
          ? lesson::Format("The wait status says a core was dumped despite the children's "
                           "core-file limit of 0: this machine hands crashes to a program "
                           "(kernel.core_pattern = %s), which the limit does not stop. Nothing "
                           "was written to the working directory.",
                           seen.core_pattern)
          : lesson::Tr("No core file was written: the crashing children set their core-file "
                       "limit to 0 first, and the wait status confirms no core was dumped."));
  points.push_back(lesson::Tr(
      "Contrast //thread:crash: the same crash in a thread kills every thread of the process, "
      "which is why the tutorial calls processes more robust than threads."));
  points.push_back(lesson::Tr("What varies: PIDs, and the order of the three children's first "
                              "lines."));
  return points;
}

// --- //process:address_space -------------------------------------------------------------

std::vector<lesson::Text> AddressSpacePoints(const AddressSpaceObservation& seen) {
  std::vector<lesson::Text> points;
  points.push_back(
      seen.parent_after_join == 0
          ? lesson::Format("The same address (%s) held %d in the child and 0 in the parent after "
                           "join(): each process has its own address space, and an address "
                           "means something only inside one.",
                           seen.address, seen.increments)
          : lesson::Format("The parent read %d at &g_counter after join(), not 0: that is a bug "
                           "in this lesson; please report it.",
                           seen.parent_after_join));
  points.push_back(lesson::Tr(
      "fork() copies lazily (copy-on-write): the child's first write to the page gave it a "
      "private copy; the parent's page never changed."));
  points.push_back(
      seen.received == seen.increments
          ? lesson::Format("To get its result out, the child had to send it: %d bytes through a "
                           "pipe (a socket or a file would do too), copied through the kernel. "
                           "That is the tutorial's point that data exchange between processes is "
                           "inconvenient; Python's Queue and Pipe pickle objects into a pipe the "
                           "same way.",
                           seen.received_bytes)
          : lesson::Format("The pipe brought back %d, not %d: that is a bug in this lesson; "
                           "please report it.",
                           seen.received, seen.increments));
  points.push_back(
      seen.shared_after_join == seen.increments
          ? lesson::Format("The MAP_SHARED page showed the parent the child's %d increments "
                           "directly. Shared memory must be asked for before the fork, and then "
                           "needs the same care as threads: atomics or locks. Threads share "
                           "everything by default (//thread:process_vs_thread).",
                           seen.increments)
          : lesson::Format("The MAP_SHARED counter read %d, not %d: that is a bug in this "
                           "lesson; please report it.",
                           seen.shared_after_join, seen.increments));
  points.push_back(lesson::Tr("What varies: PIDs and the addresses (ASLR); the numbers do not."));
  return points;
}

}  // namespace process
