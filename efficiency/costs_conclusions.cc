#include "efficiency/costs_conclusions.h"

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"

namespace efficiency {
namespace {

std::optional<double> Get(const CostTable& ns, const char* name) {
  auto it = ns.find(name);
  if (it == ns.end() || !(it->second > 0)) return std::nullopt;
  return it->second;
}

// "124x (4456 ns / 36 ns)", or "n/a (not run)".
std::string Ratio(const CostTable& ns, const char* numerator, const char* denominator) {
  const std::optional<double> a = Get(ns, numerator), b = Get(ns, denominator);
  if (!a || !b) return lesson::Tr("n/a (not run)").str();
  const double r = *a / *b;
  if (r >= 10) return absl::StrFormat("%.0fx (%.0f ns / %.0f ns)", r, *a, *b);
  return absl::StrFormat("%.2fx (%.0f ns / %.0f ns)", r, *a, *b);
}

// The rows that measure a hand-over between two cores.
const std::vector<std::string> kCrossCore = {"BM_ThreadPingPong", "BM_ProcessPingPong"};

}  // namespace

lesson::Text CostsSummary(const CostTable& ns) {
  // Switches are compared on one CPU, where a round trip is two real context switches;
  // across CPUs the figure is dominated by waking the other CPU (see the README).
  return lesson::Format(
      "Summary: thread switch / coroutine switch = %s on one core, %s across cores; process "
      "switch / thread switch = %s on one core; process create / thread create = %s "
      "(fork+exit+wait vs create+join)",
      Ratio(ns, "BM_ThreadPingPongOneCore", "BM_CoroutinePingPong"),
      Ratio(ns, "BM_ThreadPingPong", "BM_CoroutinePingPong"),
      Ratio(ns, "BM_ProcessPingPongOneCore", "BM_ThreadPingPongOneCore"),
      Ratio(ns, "BM_ForkExitWait", "BM_ThreadCreateJoin"));
}

Conclusion CostsConclusions(const CostTable& ns, lesson::RunConditions& conditions) {
  conditions.CheckWorkers(2, kCrossCore);
  Conclusion c;
  if (const std::optional<std::string> b = Blocker(conditions, {"BM_CoroutinePingPong"})) {
    // Only an unoptimised build concerns every row.
    c.notice.push_back(CannotShow(
        "costs", *b, lesson::Tr("what creating, switching and locking cost"),
        lesson::Format("thread switch / coroutine switch = %s",
                       Ratio(ns, "BM_ThreadPingPongOneCore", "BM_CoroutinePingPong"))
            .str(),
        conditions));
    return c;
  }
  const std::optional<double> coroutine = Get(ns, "BM_CoroutinePingPong");
  const std::optional<double> thread = Get(ns, "BM_ThreadPingPongOneCore");
  const std::optional<double> process = Get(ns, "BM_ProcessPingPongOneCore");
  if (coroutine && thread) {
    c.notice.push_back(lesson::Format(
        "Switching: a round trip between two coroutines on the event loop took %.0f ns, "
        "between two threads on one core %.0f ns (two context switches): a coroutine switch "
        "is %.0fx cheaper. No kernel, no scheduler: a function call and a jump.",
        *coroutine, *thread, *thread / *coroutine));
  }
  if (thread && process) {
    const double r = *process / *thread;
    c.notice.push_back(
        r < 1.5 ? lesson::Format("Two processes took %.0f ns per round trip on one core, %.2fx "
                                 "the threads': on Linux both are tasks, scheduled the same way. "
                                 "The tutorial's 'processes switch with a large overhead' shows "
                                 "in creating them (below), hardly in switching.",
                                 *process, r)
                : lesson::Format("Two processes took %.0f ns per round trip on one core, %.2fx "
                                 "the threads': switching address spaces (page tables, TLB) "
                                 "cost that much here.",
                                 *process, r));
  }
  const std::optional<double> fork = Get(ns, "BM_ForkExitWait");
  const std::optional<double> create = Get(ns, "BM_ThreadCreateJoin");
  const std::optional<double> coroutine_create = Get(ns, "BM_CoroutineCreateResumeDestroy");
  if (fork && create && coroutine_create) {
    c.notice.push_back(lesson::Format(
        "Creating: a process (fork + exit + wait) %.1f us, a thread (create + join) %.1f us, a "
        "coroutine %.0f ns. A process costs %.0fx a thread and %.0fx a coroutine: this is "
        "where processes are expensive.",
        *fork / 1e3, *create / 1e3, *coroutine_create, *fork / *create,
        *fork / *coroutine_create));
  }
  const std::optional<double> across = Get(ns, "BM_ThreadPingPong");
  if (across && thread) {
    if (const std::optional<std::string> b = Blocker(conditions, kCrossCore)) {
      c.notice.push_back(CannotShow("costs", *b,
                                    lesson::Tr("what a hand-over between two cores costs"),
                                    absl::StrFormat("BM_ThreadPingPong %.1f us", *across / 1e3),
                                    conditions));
    } else if (*across > 2 * *thread) {
      c.notice.push_back(lesson::Format(
          "Across cores a thread round trip took %.1f us against %.1f us on one core: waking an "
          "idle core costs more than the switch itself (on a virtual machine, through the "
          "hypervisor). These rows vary most from run to run.",
          *across / 1e3, *thread / 1e3));
    } else {
      c.notice.push_back(lesson::Format(
          "Across cores a thread round trip took %.1f us, about what it took on one core (%.1f "
          "us): the other core was awake.",
          *across / 1e3, *thread / 1e3));
    }
  }
  const std::optional<double> std_mutex = Get(ns, "BM_StdMutexLockUnlock");
  const std::optional<double> absl_mutex = Get(ns, "BM_AbslMutexLockUnlock");
  if (std_mutex && absl_mutex) {
    c.notice.push_back(lesson::Format(
        "Locking: an uncontended std::mutex lock + unlock took %.1f ns, absl::Mutex %.1f ns. "
        "Locks are cheap until they are contended; waiting is what costs.",
        *std_mutex, *absl_mutex));
  }
  return c;
}

}  // namespace efficiency
