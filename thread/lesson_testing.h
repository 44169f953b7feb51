// thread/lesson_testing.h — what every thread lesson's test checks, in one place.
// (testonly) Lessons are run as real programs through lesson::RunProgram.
#ifndef THREAD_LESSON_TESTING_H_
#define THREAD_LESSON_TESTING_H_

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "common/run_program.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace thread_testing {

// Runs //thread:<name> with `args` and checks what holds for every lesson run with good
// flags: it exited 0, in time, left no process behind, printed its title and its
// "What to notice" list.
inline lesson::ProgramResult RunLesson(std::string_view name,
                                       const std::vector<std::string>& args = {}) {
  std::vector<std::string> argv = {lesson::RunfilePath("thread/" + std::string(name))};
  argv.insert(argv.end(), args.begin(), args.end());
  lesson::ProgramResult r = lesson::RunProgram(argv);
  EXPECT_EQ(r.exit_code, 0) << name << " stderr:\n" << r.stderr_text;
  EXPECT_FALSE(r.timed_out) << name;
  EXPECT_EQ(r.leftover_processes, 0) << name;
  EXPECT_THAT(r.stdout_text, testing::StartsWith("=====")) << name;
  EXPECT_THAT(r.stdout_text, testing::HasSubstr("\nWhat to notice:\n")) << name;
  return r;
}

// A nonsensical flag: exit status 2, nothing on stdout, one line on stderr naming it.
inline void ExpectRejected(std::string_view name, const std::string& bad_flag) {
  lesson::ProgramResult r =
      lesson::RunProgram({lesson::RunfilePath("thread/" + std::string(name)), bad_flag});
  const std::string flag_name = bad_flag.substr(0, bad_flag.find('='));
  EXPECT_EQ(r.exit_code, 2) << bad_flag;
  EXPECT_EQ(r.stdout_text, "") << bad_flag;
  EXPECT_THAT(r.stderr_text, testing::HasSubstr(flag_name)) << bad_flag;
  EXPECT_EQ(std::count(r.stderr_text.begin(), r.stderr_text.end(), '\n'), 1)
      << bad_flag << ": " << r.stderr_text;
  EXPECT_EQ(r.leftover_processes, 0) << bad_flag;
}

// The lesson's live output: everything before its "What to notice" list, whose prose
// may mention the very phrases a test looks for.
inline std::string LiveOutput(const std::string& out) {
  return out.substr(0, out.find("\nWhat to notice:\n"));
}

// How many times `needle` occurs in `text`.
inline int Count(const std::string& text, std::string_view needle) {
  int count = 0;
  for (size_t at = text.find(needle); at != std::string::npos;
       at = text.find(needle, at + needle.size())) {
    ++count;
  }
  return count;
}

// The position of `needle` in `text`, failing the test if it is missing.
inline size_t Find(const std::string& text, std::string_view needle) {
  const size_t at = text.find(needle);
  EXPECT_NE(at, std::string::npos) << "missing: " << needle << "\nin:\n" << text;
  return at;
}

}  // namespace thread_testing

#endif  // THREAD_LESSON_TESTING_H_
