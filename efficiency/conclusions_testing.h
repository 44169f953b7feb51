// efficiency/conclusions_testing.h — synthetic runs for the conclusions' tests. (testonly)
//
// A conclusion is a pure function of figures and run conditions, so its tests make both
// up: the machines every experiment must handle (a quiet two-core machine, one usable core,
// a busy machine, an unoptimised build) and the rows a run would have measured.
#ifndef EFFICIENCY_CONCLUSIONS_TESTING_H_
#define EFFICIENCY_CONCLUSIONS_TESTING_H_

#include <string>
#include <vector>

#include "common/message.h"
#include "common/run_conditions.h"
#include "efficiency/conclusion.h"
#include "efficiency/measure.h"
#include "efficiency/results.h"

namespace efficiency::testing {

inline lesson::Machine QuietTwoCores() {
  return {.usable_cores = 2, .online_cores = 2, .cores_description = "2 online, 2 usable",
          .busy_cores_before = 0.02, .optimised = true};
}
inline lesson::Machine OneCore() {
  lesson::Machine m = QuietTwoCores();
  m.usable_cores = 1;
  m.cores_description = "2 online, 1 usable (affinity mask: 1)";
  return m;
}
inline lesson::Machine Busy() {
  lesson::Machine m = QuietTwoCores();
  m.busy_cores_before = 1.2;
  return m;
}
inline lesson::Machine Unoptimised() {
  lesson::Machine m = QuietTwoCores();
  m.optimised = false;
  return m;
}

// A measured mode: `seconds` median (every sample the same), `cores` CPU / wall.
inline ModeResult Ran(const std::string& name, int workers, double seconds, double cores,
                       const std::string& baseline = "single") {
  ModeResult r;
  r.mode.name = name;
  r.mode.workers = workers;
  r.mode.baseline = baseline;
  r.samples.push_back(Sample{.seconds = seconds, .cpu_seconds = seconds * cores});
  r.seconds = Summarize({seconds});
  r.cpu_seconds = seconds * cores;
  return r;
}

// All the conclusion's sentences, one per line, to search in.
inline std::string Text(const Conclusion& c) {
  std::string out;
  for (const lesson::Text& t : c.lines) out += t.str() + "\n";
  for (const lesson::Text& t : c.notice) out += t.str() + "\n";
  return out;
}

inline std::vector<std::string> Codes(const lesson::RunConditions& conditions) {
  std::vector<std::string> codes;
  for (const lesson::Warning& w : conditions.warnings()) codes.push_back(w.code);
  return codes;
}

}  // namespace efficiency::testing

#endif  // EFFICIENCY_CONCLUSIONS_TESTING_H_
