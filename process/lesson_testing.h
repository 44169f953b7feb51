// process/lesson_testing.h — (test only) running this chapter's lessons from tests.
// The chapter's name bound onto common/lesson_testing.h.
#ifndef PROCESS_LESSON_TESTING_H_
#define PROCESS_LESSON_TESTING_H_

#include <string>
#include <string_view>
#include <vector>

#include "common/lesson_testing.h"

namespace process::testing {

// Runs //process:<lesson> with `flags`, as a user would.
inline lesson::ProgramResult RunLesson(std::string_view lesson_name,
                                       const std::vector<std::string>& flags = {},
                                       const lesson::RunOptions& options = {}) {
  return lesson::testing::RunLesson("process/" + std::string(lesson_name), flags, options);
}

// Runs //process:<lesson> with `bad_flag` and expects what every lesson promises: exit
// status 2, one line on stderr naming the flag, nothing on stdout, nothing left running.
inline void ExpectRejected(std::string_view lesson_name, const std::string& bad_flag) {
  lesson::testing::ExpectRejected("process/" + std::string(lesson_name), bad_flag);
}

using lesson::testing::FindLine;
using lesson::testing::Groups;
using lesson::testing::LiveOutput;
using lesson::testing::Lines;
using lesson::testing::Search;
using lesson::testing::SearchAll;

}  // namespace process::testing

#endif  // PROCESS_LESSON_TESTING_H_
