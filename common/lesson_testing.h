// common/lesson_testing.h — (testonly) what a lesson's test does with the real binary.
//
// A lesson's behaviour is what its program does, so its test runs the built binary from
// the test's runfiles, as a user would, and asserts on the result. Every lesson test
// opens the same way; these names, and the GoogleMock matchers below, are its vocabulary:
//
//   using namespace ::lesson::testing;  // RunLesson, RanCleanly, Search, HasSubstr...
//
//   TEST(LockTest, LosesUpdatesWithoutALock) {
//     lesson::ProgramResult r = RunLesson("thread/lock", {"--runs=3"});
//     ASSERT_THAT(r, RanCleanly());
//     std::vector<std::string> lines = Lines(r.stdout_text);
//     EXPECT_LT(FindLine(lines, "t1 reads"), FindLine(lines, "t2 reads"));
//     Groups pid = Search(r.stdout_text, "main: PID (\\d+)");
//     ExpectRejected("thread/lock", "--runs=0");
//   }
#ifndef COMMON_LESSON_TESTING_H_
#define COMMON_LESSON_TESTING_H_

#include <string>
#include <string_view>
#include <vector>

#include "common/run_program.h"
#include "gmock/gmock.h"

namespace lesson::testing {

// The GoogleMock matchers lesson tests use, so that `using namespace ::lesson::testing;`
// is a test's whole vocabulary.
using ::testing::AnyOf;
using ::testing::Contains;
using ::testing::ContainsRegex;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

// Runs the lesson built at `lesson_path` ("thread/lock", relative to the workspace) with
// `flags`, through RunProgram: always returns, never leaves the lesson running. Adds
// --lang=en unless `flags` choose a language: behaviour tests read English.
ProgramResult RunLesson(std::string_view lesson_path, const std::vector<std::string>& flags = {},
                        const RunOptions& options = {});

// The lesson ended on its own with exit status 0 and left nothing running. On failure it
// prints how it ended and its stderr, which says why.
MATCHER(RanCleanly, "exited with status 0 and left nothing running") {
  *result_listener << "exit status " << arg.exit_code << ", signal " << arg.term_signal
                   << (arg.timed_out ? ", timed out" : "") << ", " << arg.leftover_processes
                   << " process(es) left; stderr:\n"
                   << arg.stderr_text;
  return arg.exit_code == 0 && !arg.timed_out && arg.leftover_processes == 0;
}

// The lines of `text`, without their newlines; empty lines dropped.
std::vector<std::string> Lines(const std::string& text);

// Index of the first line containing `needle` at or after `from`, or -1.
int FindLine(const std::vector<std::string>& lines, std::string_view needle, int from = 0);

// How many times `needle` occurs in `text`.
int Count(const std::string& text, std::string_view needle);

// A match of a pattern: [0] is the whole match, [1], [2]... its groups. Empty if the
// pattern was not found.
using Groups = std::vector<std::string>;

// The first match of `pattern` (ECMAScript syntax, as std::regex) in `text`. The regex
// engine lives in lesson_testing.cc: <regex> costs every file that includes it seconds
// of compile time, and tests only need to find numbers in a lesson's output.
Groups Search(const std::string& text, const std::string& pattern);

// Every match of `pattern` in `text`, in order.
std::vector<Groups> SearchAll(const std::string& text, const std::string& pattern);

// The lesson's live output: everything before its "What to notice" list, whose prose may
// mention the very phrases a test looks for.
std::string LiveOutput(const std::string& stdout_text);

// Runs the lesson with `bad_flag` ("--runs=0") and expects what every lesson promises for
// a nonsensical flag: exit status 2, nothing on stdout, exactly one line on stderr naming
// the flag, and nothing left running. (GoogleTest expectations.)
void ExpectRejected(std::string_view lesson_path, const std::string& bad_flag);

// The same, and the one line on stderr is exactly `line`
// ("queue: --maxsize=0 is out of range; allowed: 1 to 1000\n"): for the tests that show
// what a reader sees.
void ExpectRejectedSaying(std::string_view lesson_path, const std::string& bad_flag,
                          std::string_view line);

// The same for a command line of several flags that together make no sense: the one line
// on stderr must name `flag_name` ("--iterations").
void ExpectRejected(std::string_view lesson_path, const std::vector<std::string>& flags,
                    std::string_view flag_name, const RunOptions& options = {});

}  // namespace lesson::testing

#endif  // COMMON_LESSON_TESTING_H_
