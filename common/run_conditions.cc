#include "common/run_conditions.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <utility>

#include "common/lesson.h"
#include "common/machine.h"

namespace lesson {

JsonObject Warning::ToJson() const {
  JsonObject o;
  o.Set("code", code).Set("message", message.str()).Set("modes", modes);
  return o;
}

RunConditions RunConditions::Observe(int busy_window_ms) {
  Machine m;
  m.usable_cores = UsableCores();
  m.online_cores = OnlineCores();
  m.cores_description = DescribeCores();
  m.busy_cores_before = BusyCores(std::chrono::milliseconds(busy_window_ms));
  m.optimised = OptimisedBuild();
  return RunConditions(std::move(m));
}

RunConditions::RunConditions(Machine machine) : machine_(std::move(machine)) {
  if (!machine_.optimised) {
    warnings_.push_back(
        {"unoptimised_build",
         Tr("This build is not optimised: the timings measure unoptimised code. Run it with "
            "-c opt (bazel run -c opt ...) for figures worth comparing."),
         {}});
  }
}

void RunConditions::CheckWorkers(int workers, const std::vector<std::string>& modes) {
  if (workers > machine_.usable_cores && !Has("fewer_cores")) {
    warnings_.push_back(
        {"fewer_cores",
         Format("Only %d core(s) usable by this process (%s) for %d workers at once: they "
                "must take turns, so a speedup above %dx cannot show here.",
                machine_.usable_cores, machine_.cores_description, workers,
                machine_.usable_cores),
         modes});
  }
  if (machine_.busy_cores_before >= kBusyThreshold && !Has("busy_machine")) {
    warnings_.push_back(
        {"busy_machine",
         Format("Other work was using %.2f core(s) before the run: the parallel modes got only "
                "what was left, so their speedups are lower than on an idle machine.",
                machine_.busy_cores_before),
         modes});
  }
}

void RunConditions::CheckSpeedup(const std::string& mode, double speedup, int workers) {
  // Timer noise allows a little above the worker count; far above it is impossible.
  if (std::isfinite(speedup) && speedup > workers * 1.15) {
    warnings_.push_back(
        {"implausible",
         Format("%s measured %.2fx with %d workers, more than %d workers can give: the machine "
                "changed under the run (other work stopped, the CPU clock rose). Run it again.",
                mode, speedup, workers, workers),
         {mode}});
  }
}

void RunConditions::Add(Warning warning) { warnings_.push_back(std::move(warning)); }

bool RunConditions::Has(const std::string& code) const {
  return std::any_of(warnings_.begin(), warnings_.end(),
                     [&](const Warning& w) { return w.code == code; });
}

bool RunConditions::Clean(const std::string& mode) const {
  return std::none_of(warnings_.begin(), warnings_.end(), [&](const Warning& w) {
    return w.modes.empty() || std::find(w.modes.begin(), w.modes.end(), mode) != w.modes.end();
  });
}

std::vector<JsonObject> RunConditions::ToJson() const {
  std::vector<JsonObject> out;
  for (const Warning& w : warnings_) out.push_back(w.ToJson());
  return out;
}

void RunConditions::Print() const {
  for (const Warning& w : warnings_) lesson::Print("Warning: %s", w.message.str());
}

}  // namespace lesson
