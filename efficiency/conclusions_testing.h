// efficiency/conclusions_testing.h — synthetic runs for the conclusions' tests. (testonly)
//
// A conclusion is a pure function of figures and run conditions, so its tests make both
// up: the machines every experiment must handle (a quiet two-core machine, one usable core,
// a busy machine, an unoptimised build) and the rows a run would have measured. A test
// draws the conclusion on one machine and says what it must and must not say:
//
//   ExpectSaid(Conclude(OneCore(), CpuBoundConclusions, ResultsOf("cpu_bound", {...}), run),
//              {.codes = ElementsAre("fewer_cores"),
//               .says = {"This run cannot show that C++ threads run in parallel"},
//               .never_says = {"ran on 2 cores at once"}});
//
// `.codes = _` checks no codes; `.says = {}` or `.never_says = {}`, no phrases.
//
// A conclusions test says `using namespace efficiency::testing;`: these names, and the
// GoogleMock matchers below, are its vocabulary.
#ifndef EFFICIENCY_CONCLUSIONS_TESTING_H_
#define EFFICIENCY_CONCLUSIONS_TESTING_H_

#include <source_location>
#include <string>
#include <vector>

#include "common/message.h"
#include "common/run_conditions.h"
#include "efficiency/conclusion.h"
#include "efficiency/measure.h"
#include "efficiency/results.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace efficiency::testing {

using ::testing::_;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

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

// The results of a run of `experiment` that measured `rows` (on made-up work).
inline Results ResultsOf(const std::string& experiment, const std::vector<ModeResult>& rows) {
  Results results(experiment, lesson::InEachLanguage([] { return lesson::Verbatim("work"); }));
  results.Add(rows);
  return results;
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

// What a conclusion said: its sentences (Text) and the codes of the warnings it added to
// the run's conditions, in order.
struct Said {
  std::string text;
  std::vector<std::string> codes;
};

// Draws a conclusion on `machine` as an experiment does at the end of its run:
// `conclusions(inputs..., conditions)`, e.g. Conclude(Busy(), TbbConclusions, results, run).
template <typename Conclusions, typename... Inputs>
Said Conclude(const lesson::Machine& machine, Conclusions conclusions,
              const Inputs&... inputs) {
  lesson::RunConditions conditions(machine);
  const Conclusion c = conclusions(inputs..., conditions);
  return {.text = Text(c), .codes = Codes(conditions)};
}

// What a conclusion must say: warnings whose codes match `codes` (`_`: any), every phrase
// of `says`, and none of `never_says`. A test spells all three.
struct Expected {
  ::testing::Matcher<const std::vector<std::string>&> codes = _;
  std::vector<std::string> says;
  std::vector<std::string> never_says;
};

// GoogleTest expectations, reported at the caller's line: one failure for codes that do
// not match and one for each phrase missing or present, each with the whole text.
inline void ExpectSaid(const Said& said, const Expected& expected,
                       std::source_location where = std::source_location::current()) {
  const ::testing::ScopedTrace trace(where.file_name(), static_cast<int>(where.line()),
                                     "the conclusion checked here");
  EXPECT_THAT(said.codes, expected.codes);
  for (const std::string& phrase : expected.says) EXPECT_THAT(said.text, HasSubstr(phrase));
  for (const std::string& phrase : expected.never_says) {
    EXPECT_THAT(said.text, Not(HasSubstr(phrase)));
  }
}

}  // namespace efficiency::testing

#endif  // EFFICIENCY_CONCLUSIONS_TESTING_H_
