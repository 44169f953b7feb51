// process/lesson_testing.h — (test only) running this chapter's lessons from tests.
#ifndef PROCESS_LESSON_TESTING_H_
#define PROCESS_LESSON_TESTING_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_split.h"
#include "common/run_program.h"

namespace process::testing {

// Runs //process:<lesson> with `flags` as a user would.
inline lesson::ProgramResult RunLesson(std::string_view lesson_name,
                                       std::vector<std::string> flags = {},
                                       const lesson::RunOptions& options = {}) {
  std::vector<std::string> argv = {lesson::RunfilePath("process/" + std::string(lesson_name))};
  argv.insert(argv.end(), flags.begin(), flags.end());
  return lesson::RunProgram(argv, options);
}

// The lines of `text`, without their newlines.
inline std::vector<std::string> Lines(const std::string& text) {
  return absl::StrSplit(text, '\n', absl::SkipEmpty());
}

// Index of the first line containing `needle` at or after `from`, or -1.
inline int FindLine(const std::vector<std::string>& lines, std::string_view needle, int from = 0) {
  for (int i = from; i < static_cast<int>(lines.size()); ++i) {
    if (lines[i].find(needle) != std::string::npos) return i;
  }
  return -1;
}

}  // namespace process::testing

#endif  // PROCESS_LESSON_TESTING_H_
