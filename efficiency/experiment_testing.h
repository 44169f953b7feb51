// efficiency/experiment_testing.h — what every experiment's test checks. (testonly)
//
// An experiment is tested as a user runs it: the real binary, through lesson::RunProgram.
//   RunExperiment(binary, flags)  runs it; returns what RunProgram saw.
//   RunJson(binary, flags)        runs it with --json; asserts exit 0, nothing left running,
//                                 and that stdout is exactly one JSON object; returns it.
//   ExpectContract(json, name, modes)
//                                 checks issue 6's schema: experiment name, and for each
//                                 row mode, workers, seconds, min <= seconds <= max,
//                                 speedup = baseline median / seconds.
//   ExpectRejected(binary, flags, flag_name)
//                                 exit status 2, one line on stderr naming the flag,
//                                 nothing on stdout, no process left behind.
#ifndef EFFICIENCY_EXPERIMENT_TESTING_H_
#define EFFICIENCY_EXPERIMENT_TESTING_H_

#include <string>
#include <vector>

#include "common/run_program.h"
#include "efficiency/json_reader.h"

namespace efficiency_test {

lesson::ProgramResult RunExperiment(const std::string& binary, std::vector<std::string> flags);

JsonValue RunJson(const std::string& binary, std::vector<std::string> flags);

void ExpectContract(const JsonValue& json, const std::string& experiment,
                    const std::vector<std::string>& modes);

// The row of `mode` in json["results"] (fails the test and returns a null value if absent).
const JsonValue& RowOf(const JsonValue& json, const std::string& mode);

void ExpectRejected(const std::string& binary, std::vector<std::string> flags,
                    const std::string& flag_name);

}  // namespace efficiency_test

#endif  // EFFICIENCY_EXPERIMENT_TESTING_H_
