// common/json_flag.h — --json: an experiment prints one JSON object instead of its table.
//
// Experiments print a readable table by default; with --json they print exactly one JSON
// object (common/json.h) on standard output instead, which tools/report reads. Every
// binary that links //common:json_flag has the flag.
#ifndef COMMON_JSON_FLAG_H_
#define COMMON_JSON_FLAG_H_

#include "absl/flags/declare.h"

ABSL_DECLARE_FLAG(bool, json);

namespace lesson {

// True when the user passed --json.
bool JsonRequested();

}  // namespace lesson

#endif  // COMMON_JSON_FLAG_H_
