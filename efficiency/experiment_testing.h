// efficiency/experiment_testing.h — what every experiment's test checks. (testonly)
//
// An experiment is tested as a user runs it: the real binary, through lesson::RunProgram.
// Its test is written in namespace efficiency_test, which speaks the lessons' vocabulary
// (common/lesson_testing.h: RanCleanly, ExpectRejected, Lines...), the GoogleMock matchers
// below, and these, for what only experiments do:
//   RunExperiment(binary, flags)  runs it (RunLesson with room for a sanitizer build's
//                                 slow runs); returns what RunProgram saw.
//   RunJson(binary, flags)        runs it with --json; expects it to run cleanly and stdout
//                                 to be exactly one JSON object; returns it (parsed with
//                                 nlohmann::json; an empty object if it was not JSON).
//   RunTraced(binary, flags)      runs it with --trace into the test's temporary directory;
//                                 expects it to run cleanly; returns the trace it wrote.
//   ExpectContract(json, name, modes)
//                                 checks the contract with //tools:report: experiment name,
//                                 work, "warnings" (a list of {code, message, modes}), and
//                                 for each row mode, workers, seconds, min <= seconds <= max,
//                                 speedup = baseline median / seconds.
#ifndef EFFICIENCY_EXPERIMENT_TESTING_H_
#define EFFICIENCY_EXPERIMENT_TESTING_H_

#include <string>
#include <vector>

#include "common/lesson_testing.h"
#include "common/run_program.h"
#include "common/trace_reading.h"
#include "gmock/gmock.h"
#include "nlohmann/json.hpp"

namespace efficiency_test {

using namespace ::lesson::testing;  // RunLesson, RanCleanly, Search, HasSubstr...

using Json = nlohmann::json;

// How long an experiment may run in a test before RunProgram kills it.
lesson::RunOptions ExperimentOptions();

lesson::ProgramResult RunExperiment(const std::string& binary, std::vector<std::string> flags);

Json RunJson(const std::string& binary, std::vector<std::string> flags);

trace_reading::Trace RunTraced(const std::string& binary, std::vector<std::string> flags);

void ExpectContract(const Json& json, const std::string& experiment,
                    const std::vector<std::string>& modes);

// The row of `mode` in json["results"] (fails the test and returns an empty object if absent).
Json RowOf(const Json& json, const std::string& mode);

// The codes of json["warnings"], in order.
std::vector<std::string> WarningCodes(const Json& json);

}  // namespace efficiency_test

#endif  // EFFICIENCY_EXPERIMENT_TESTING_H_
