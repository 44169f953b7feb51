// common/flags.h — command-line flags for lessons: parse strictly, reject clearly.
//
// Lessons declare their parameters with ABSL_FLAG and call, first thing in main():
//
//   lesson::ParseFlags(argc, argv, "Two threads race on one counter.");
//   lesson::RequireInRange(FLAGS_threads, 1, 64);
//
// Contract: a nonsensical command line never starts a lesson. Every rejection prints
// exactly one line to standard error, "<program>: <flag> <problem>; <allowed>", in the
// reader's language, and exits with status 2, before the lesson has created any thread
// or process.
//
// Every program that calls ParseFlags also has these flags:
//   --lang=zh|en   the language of everything it prints (common/i18n.h);
//   --trace=PATH   write a timeline of the run to PATH (common/trace.h).
//
// Conventions every lesson shares, so that a learner can guess a flag:
//   durations are absl::Duration flags with a unit: --work=300ms, --timeout=1s (a bare
//   number is refused with "add a unit, e.g. 1s or 300ms");
//   counts accept what people type: --iterations=1000000, 1e6 or 1'000'000 style
//   1_000_000 (when the value is a whole number that fits);
//   a misspelt flag gets a suggestion: "unknown flag --thread; did you mean --threads?".
#ifndef COMMON_FLAGS_H_
#define COMMON_FLAGS_H_

#include <initializer_list>
#include <string>
#include <string_view>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/flags/reflection.h"
#include "common/format_string.h"
#include "common/message.h"

ABSL_DECLARE_FLAG(std::string, lang);
ABSL_DECLARE_FLAG(std::string, trace);

namespace lesson {

// Exit status for a command line that makes no sense (the shell's "usage" convention).
inline constexpr int kBadUsageExitCode = 2;

// Sets the program's flags from argv.
//   --name=value, --name value, and for booleans --name / --noname are accepted.
//   --help or -h prints `usage` (a msgid: translated) and every flag the program defines
//   (with its default and help text, translated) to standard output, then exits with 0.
//   An unknown flag, a malformed value, a missing value or a positional argument is
//   rejected: one line on standard error, exit status 2.
//   --lang is applied before anything else, so that even a rejection of another flag is
//   in the language asked for. --trace is checked (its file must be writable) and the
//   trace started before ParseFlags returns.
// It also installs a std::terminate handler for the whole program: when a thread cannot
// be created because the machine or the user's process limit (RLIMIT_NPROC) is reached,
// std::thread throws std::system_error (EAGAIN); if nothing catches it, the program ends
// with one clear line naming the limit and exit status 1 instead of an abort and a core
// dump. Any other uncaught exception still goes to the default handler.
void ParseFlags(int argc, char** argv, FormatString<> usage);

// Prints "<program>: --<flag>=<value> <why>" on standard error and exits with status 2.
[[noreturn]] void RejectFlag(std::string_view flag_name, std::string_view value, const Text& why);

namespace flags_internal {
std::string NameOf(const absl::CommandLineFlag& flag);
[[noreturn]] void RejectOutOfRange(std::string_view name, const std::string& value,
                                   const std::string& lo, const std::string& hi);
}  // namespace flags_internal

// Rejects the flag's current value unless lo <= value <= hi.
template <typename T, typename Bound>
void RequireInRange(const absl::Flag<T>& flag, const Bound& lo, const Bound& hi) {
  const T value = absl::GetFlag(flag);
  if (value < T(lo) || T(hi) < value) {
    flags_internal::RejectOutOfRange(flags_internal::NameOf(absl::GetFlagReflectionHandle(flag)),
                                     absl::UnparseFlag<T>(value), absl::UnparseFlag<T>(T(lo)),
                                     absl::UnparseFlag<T>(T(hi)));
  }
}

// Rejects the flag's current value unless it is one of `allowed`, e.g. {"off", "forced"}.
void RequireOneOf(const absl::Flag<std::string>& flag,
                  std::initializer_list<std::string_view> allowed);

// The program's name as the user typed it (argv[0] without its directory).
const std::string& ProgramName();

// The flag that is nearest to `name` among the program's own (edit distance at most 2,
// or `name` a prefix of it), or "" if none is near: the "did you mean" of a rejection.
std::string NearestFlagName(std::string_view name);

}  // namespace lesson

#endif  // COMMON_FLAGS_H_
