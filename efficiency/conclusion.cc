#include "efficiency/conclusion.h"

#include <cmath>

#include "absl/strings/str_format.h"
#include "efficiency/results.h"

namespace efficiency {

bool ShowsParallelism(double speedup, int workers) {
  return std::isfinite(speedup) && speedup >= 1 + 0.6 * (workers - 1);
}

void CheckParallelModes(const Results& results, const std::vector<std::string>& modes,
                        int workers, lesson::RunConditions& conditions) {
  conditions.CheckWorkers(workers, modes);
  for (const std::string& mode : modes) {
    conditions.CheckSpeedup(mode, results.Speedup(mode), workers);
  }
}

std::optional<std::string> Blocker(const lesson::RunConditions& conditions,
                                   const std::vector<std::string>& modes) {
  for (const char* code : {"unoptimised_build", "fewer_cores", "implausible", "busy_machine"}) {
    for (const lesson::Warning& w : conditions.warnings()) {
      if (w.code != code) continue;
      if (w.modes.empty()) return w.code;
      for (const std::string& mode : modes) {
        for (const std::string& affected : w.modes) {
          if (affected == mode) return w.code;
        }
      }
    }
  }
  return std::nullopt;
}

lesson::Text CannotShow(const std::string& experiment, const std::string& code,
                        const lesson::Text& what, const std::string& measured,
                        const lesson::RunConditions& conditions) {
  const lesson::Machine& m = conditions.machine();
  if (code == "unoptimised_build") {
    return lesson::Format(
        "This run cannot show %s: the build is unoptimised, so it timed debug code (%s). Run "
        "it optimised: bazel run -c opt //efficiency:%s",
        what.str(), measured, experiment);
  }
  if (code == "fewer_cores") {
    return lesson::Format(
        "This run cannot show %s: only %d core(s) could be used (%s), so the workers took "
        "turns on them (%s). Run it where more cores are free (no taskset, no CPU quota).",
        what.str(), m.usable_cores, m.cores_description, measured);
  }
  if (code == "busy_machine") {
    return lesson::Format(
        "This run cannot show %s: other work was using %.2f core(s) before it started, and "
        "the parallel modes got only what was left (%s). Run it again when `uptime` shows a "
        "quiet machine.",
        what.str(), m.busy_cores_before, measured);
  }
  return lesson::Format(
      "This run cannot show %s: a figure is more than its workers can give (%s), so the "
      "machine changed during the run (other work stopped, the clock rose). Run it again.",
      what.str(), measured);
}

std::string Speedups(const Results& results, const std::vector<std::string>& modes) {
  std::string out;
  for (const std::string& mode : modes) {
    out += absl::StrFormat("%s%s %.2fx", out.empty() ? "" : ", ", mode, results.Speedup(mode));
  }
  return out;
}

}  // namespace efficiency
