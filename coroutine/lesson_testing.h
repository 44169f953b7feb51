// coroutine/lesson_testing.h — (test only) running this chapter's lessons from tests.
// The chapter's name bound onto common/lesson_testing.h.
#ifndef COROUTINE_LESSON_TESTING_H_
#define COROUTINE_LESSON_TESTING_H_

#include <string>
#include <string_view>
#include <vector>

#include "common/lesson_testing.h"

namespace coro_lessons::testing {

// Runs //coroutine:<lesson> with `flags`, as a user would.
inline lesson::ProgramResult RunLesson(std::string_view lesson_name,
                                       const std::vector<std::string>& flags = {},
                                       const lesson::RunOptions& options = {}) {
  return lesson::testing::RunLesson("coroutine/" + std::string(lesson_name), flags, options);
}

// Runs //coroutine:<lesson> with `bad_flag` and expects a one-line rejection, exit status 2.
inline void ExpectRejected(std::string_view lesson_name, const std::string& bad_flag) {
  lesson::testing::ExpectRejected("coroutine/" + std::string(lesson_name), bad_flag);
}

using lesson::testing::FindLine;
using lesson::testing::Groups;
using lesson::testing::Lines;
using lesson::testing::Search;
using lesson::testing::SearchAll;

}  // namespace coro_lessons::testing

#endif  // COROUTINE_LESSON_TESTING_H_
