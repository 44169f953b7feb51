#include "common/json_flag.h"

#include "absl/flags/flag.h"

ABSL_FLAG(bool, json, false,
          "print the results as one JSON object on stdout instead of a table");

namespace lesson {

bool JsonRequested() { return absl::GetFlag(FLAGS_json); }

}  // namespace lesson
