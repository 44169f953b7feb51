// common/flags.h — command-line flags for lessons: parse strictly, reject clearly.
//
// Lessons declare their parameters with ABSL_FLAG and call, first thing in main():
//
//   lesson::ParseFlags(argc, argv, "Two threads race on one counter.");
//   lesson::RequireInRange(FLAGS_threads, 1, 64);
//
// Contract: a nonsensical command line never starts a lesson. Every rejection prints
// exactly one line to standard error, "<program>: <flag> <problem>; <allowed>", and exits
// with status 2, before the lesson has created any thread or process.
#ifndef COMMON_FLAGS_H_
#define COMMON_FLAGS_H_

#include <initializer_list>
#include <string>
#include <string_view>

#include "absl/flags/flag.h"
#include "absl/flags/reflection.h"
#include "absl/strings/str_cat.h"

// Note: Debian builds Abseil with its own absl::string_view, a different type from
// std::string_view; this API takes std::string_view, the type lessons use.

namespace lesson {

// Exit status for a command line that makes no sense (the shell's "usage" convention).
inline constexpr int kBadUsageExitCode = 2;

// Sets the program's flags from argv.
//   --name=value, --name value, and for booleans --name / --noname are accepted.
//   --help or -h prints `usage` and every flag the program defines (with its default and
//   help text) to standard output, then exits with status 0.
//   An unknown flag, a malformed value, a missing value or a positional argument is
//   rejected: one line on standard error, exit status 2.
// It also installs a std::terminate handler for the whole program: when a thread cannot
// be created because the machine or the user's process limit (RLIMIT_NPROC) is reached,
// std::thread throws std::system_error (EAGAIN); if nothing catches it, the program ends
// with one clear line naming the limit and exit status 1 instead of an abort and a core
// dump. Any other uncaught exception still goes to the default handler.
void ParseFlags(int argc, char** argv, std::string_view usage);

// Prints "<program>: --<flag>=<value> <why>" on standard error and exits with status 2.
[[noreturn]] void RejectFlag(std::string_view flag_name, std::string_view value,
                             std::string_view why);

// Rejects the flag's current value unless lo <= value <= hi.
template <typename T, typename Bound>
void RequireInRange(const absl::Flag<T>& flag, const Bound& lo, const Bound& hi) {
  const T value = absl::GetFlag(flag);
  if (value < T(lo) || T(hi) < value) {
    RejectFlag(std::string(absl::GetFlagReflectionHandle(flag).Name()), absl::UnparseFlag<T>(value),
               absl::StrCat("is out of range; allowed: ", absl::UnparseFlag<T>(T(lo)),
                            " to ", absl::UnparseFlag<T>(T(hi))));
  }
}

// Rejects the flag's current value unless it is one of `allowed`, e.g. {"off", "forced"}.
void RequireOneOf(const absl::Flag<std::string>& flag,
                  std::initializer_list<std::string_view> allowed);

}  // namespace lesson

#endif  // COMMON_FLAGS_H_
