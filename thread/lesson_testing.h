// thread/lesson_testing.h — what every thread lesson's test checks, in one place.
// (testonly) Lessons are run as real programs through lesson::RunProgram.
#ifndef THREAD_LESSON_TESTING_H_
#define THREAD_LESSON_TESTING_H_

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "common/lesson_testing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace thread_testing {

// Runs //thread:<name> with `args` and checks what holds for every lesson run with good
// flags: it exited 0, in time, left no process behind, printed its title and its
// "What to notice" list (要点 with --lang=zh).
inline lesson::ProgramResult RunLesson(std::string_view name,
                                       const std::vector<std::string>& args = {}) {
  lesson::ProgramResult r = lesson::testing::RunLesson("thread/" + std::string(name), args);
  EXPECT_EQ(r.exit_code, 0) << name << " stderr:\n" << r.stderr_text;
  EXPECT_FALSE(r.timed_out) << name;
  EXPECT_EQ(r.leftover_processes, 0) << name;
  EXPECT_THAT(r.stdout_text, testing::StartsWith("=====")) << name;
  const bool chinese = std::find(args.begin(), args.end(), "--lang=zh") != args.end();
  EXPECT_THAT(r.stdout_text, testing::HasSubstr(chinese ? "\n要点：\n" : "\nWhat to notice:\n"))
      << name;
  return r;
}

// A nonsensical flag: exit status 2, nothing on stdout, one line on stderr naming it.
inline void ExpectRejected(std::string_view name, const std::string& bad_flag) {
  lesson::testing::ExpectRejected("thread/" + std::string(name), bad_flag);
}

using lesson::testing::Count;
using lesson::testing::Groups;
using lesson::testing::LiveOutput;
using lesson::testing::Search;
using lesson::testing::SearchAll;

// The position of `needle` in `text`, failing the test if it is missing.
inline size_t Find(const std::string& text, std::string_view needle) {
  const size_t at = text.find(needle);
  EXPECT_NE(at, std::string::npos) << "missing: " << needle << "\nin:\n" << text;
  return at;
}

}  // namespace thread_testing

#endif  // THREAD_LESSON_TESTING_H_
