// efficiency/experiment_testing.h — what every experiment's test checks. (testonly)
//
// An experiment is tested as a user runs it: the real binary, through lesson::RunProgram.
//   RunExperiment(binary, flags)  runs it; returns what RunProgram saw.
//   RunJson(binary, flags)        runs it with --json; expects exit 0, nothing left running,
//                                 and stdout exactly one JSON object; returns it (parsed
//                                 with nlohmann::json; an empty object if it was not JSON).
//   ExpectContract(json, name, modes)
//                                 checks the contract with //tools:report: experiment name,
//                                 work, "warnings" (a list of {code, message, modes}), and
//                                 for each row mode, workers, seconds, min <= seconds <= max,
//                                 speedup = baseline median / seconds.
//   ExpectRejected(binary, flags, flag_name)
//                                 exit status 2, one line on stderr naming the flag,
//                                 nothing on stdout, no process left behind.
#ifndef EFFICIENCY_EXPERIMENT_TESTING_H_
#define EFFICIENCY_EXPERIMENT_TESTING_H_

#include <string>
#include <vector>

#include "common/run_program.h"
#include "nlohmann/json.hpp"

namespace efficiency_test {

using Json = nlohmann::json;

lesson::ProgramResult RunExperiment(const std::string& binary, std::vector<std::string> flags);

Json RunJson(const std::string& binary, std::vector<std::string> flags);

void ExpectContract(const Json& json, const std::string& experiment,
                    const std::vector<std::string>& modes);

// The row of `mode` in json["results"] (fails the test and returns an empty object if absent).
Json RowOf(const Json& json, const std::string& mode);

// The codes of json["warnings"], in order.
std::vector<std::string> WarningCodes(const Json& json);

void ExpectRejected(const std::string& binary, std::vector<std::string> flags,
                    const std::string& flag_name);

}  // namespace efficiency_test

#endif  // EFFICIENCY_EXPERIMENT_TESTING_H_
