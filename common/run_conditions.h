// common/run_conditions.h — can this run show what the lesson is about to claim?
//
// A measured lesson (the efficiency experiments, thread:cores, efficiency:mpi) closes
// with sentences chosen from its own figures. Before it concludes "the threads ran in
// parallel", it checks the conditions under which its figures mean that:
//
//   lesson::RunConditions conditions = lesson::RunConditions::Observe();  // before measuring
//   ...measure...
//   conditions.CheckWorkers(2, {"threads", "processes"});
//   conditions.CheckSpeedup("threads", speedup, 2);
//   for (const lesson::Warning& w : conditions.warnings()) ...   // printed, and in --json
//
// Each warning has a short machine-readable code, a sentence in the reader's language,
// and the modes (table rows) it affects. Codes:
//   fewer_cores        fewer usable cores (affinity mask, cgroup quota, one-core machine)
//                      than the workers that should run at once;
//   busy_machine       other work used a noticeable share of the cores before the run;
//   unoptimised_build  the binary was not compiled with -c opt;
//   implausible        a figure outside what the run could physically give (a speedup
//                      above the worker count): the machine changed under the run.
// The decision functions are pure, so tests feed them synthetic machines.
#ifndef COMMON_RUN_CONDITIONS_H_
#define COMMON_RUN_CONDITIONS_H_

#include <string>
#include <vector>

#include "common/json.h"
#include "common/message.h"

namespace lesson {

struct Warning {
  std::string code;
  Text message;
  std::vector<std::string> modes;  // rows affected; empty: the whole run

  JsonObject ToJson() const;
};

// The machine as a run found it.
struct Machine {
  int usable_cores = 1;
  int online_cores = 1;
  std::string cores_description;  // DescribeCores()
  double busy_cores_before = 0;   // BusyCores over a short window; -1 if unknown
  bool optimised = true;          // OptimisedBuild()
};

class RunConditions {
 public:
  // Reads the machine: cores, how busy it is over `busy_window_ms`, the build.
  static RunConditions Observe(int busy_window_ms = 250);
  explicit RunConditions(Machine machine);

  const Machine& machine() const { return machine_; }

  // Other work counts as noticeable from this many busy cores.
  static constexpr double kBusyThreshold = 0.25;

  // `workers` should run at once in `modes`: warns if fewer cores are usable, or if the
  // machine was busy. Warns once per run that the build is unoptimised (if it is).
  void CheckWorkers(int workers, const std::vector<std::string>& modes);

  // A speedup of `mode` with `workers` running at once: warns if it is implausibly high.
  void CheckSpeedup(const std::string& mode, double speedup, int workers);

  // Adds a warning of the lesson's own.
  void Add(Warning warning);

  const std::vector<Warning>& warnings() const { return warnings_; }
  bool Has(const std::string& code) const;
  // True if no warning touches `mode` (or the whole run): its figure can be trusted.
  bool Clean(const std::string& mode) const;

  // The warnings as a JSON array, for "warnings" in --json.
  std::vector<JsonObject> ToJson() const;
  // Prints each warning as "Warning: <sentence>" (translated), or nothing.
  void Print() const;

 private:
  Machine machine_;
  std::vector<Warning> warnings_;
};

}  // namespace lesson

#endif  // COMMON_RUN_CONDITIONS_H_
