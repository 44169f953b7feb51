#include "common/flags.h"

#include <unistd.h>

#include <csignal>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "absl/time/time.h"
#include "gtest/gtest.h"

ABSL_FLAG(int, threads, 2, "number of threads");
ABSL_FLAG(bool, verbose, false, "say more");
ABSL_FLAG(std::string, interleave, "off", "off or forced");
ABSL_FLAG(absl::Duration, delay, absl::Milliseconds(100), "how long to wait");

namespace {

// Runs ParseFlags on the given arguments, as if they followed the program name.
void Parse(std::vector<std::string> args) {
  std::vector<char*> argv;
  std::string program = "/some/where/lesson_name";
  argv.push_back(program.data());
  for (std::string& arg : args) argv.push_back(arg.data());
  lesson::ParseFlags(static_cast<int>(argv.size()), argv.data(), "usage text");
}

// The accepted spellings set the flags.
TEST(ParseFlagsTest, AcceptsEverySpelling) {
  Parse({"--threads=4", "--verbose", "--interleave", "forced", "--delay=2s"});
  EXPECT_EQ(absl::GetFlag(FLAGS_threads), 4);
  EXPECT_TRUE(absl::GetFlag(FLAGS_verbose));
  EXPECT_EQ(absl::GetFlag(FLAGS_interleave), "forced");
  EXPECT_EQ(absl::GetFlag(FLAGS_delay), absl::Seconds(2));
  Parse({"--noverbose", "-threads", "3"});
  EXPECT_FALSE(absl::GetFlag(FLAGS_verbose));
  EXPECT_EQ(absl::GetFlag(FLAGS_threads), 3);
}

// An unknown flag is one line naming it, and exit status 2.
TEST(ParseFlagsDeathTest, UnknownFlagExitsTwo) {
  EXPECT_EXIT(Parse({"--zzzz=4"}), testing::ExitedWithCode(2),
              "^lesson_name: unknown flag --zzzz \\(see --help for the flags\\)\n$");
}

// A misspelt flag gets the nearest real one as a suggestion, still on one line.
TEST(ParseFlagsDeathTest, MisspeltFlagGetsASuggestion) {
  EXPECT_EXIT(Parse({"--thread=3"}), testing::ExitedWithCode(2),
              "^lesson_name: unknown flag --thread; did you mean --threads\\? \\(see --help\\)\n$");
  EXPECT_EXIT(Parse({"--treads=3"}), testing::ExitedWithCode(2), "did you mean --threads\\?");
  EXPECT_EXIT(Parse({"--interlave=forced"}), testing::ExitedWithCode(2),
              "did you mean --interleave\\?");
  EXPECT_EQ(lesson::NearestFlagName("verbos"), "verbose");
  EXPECT_EQ(lesson::NearestFlagName("completely_different"), "");
}

// A malformed count says a whole number is needed, with an example, and the default.
TEST(ParseFlagsDeathTest, MalformedValueExitsTwo) {
  EXPECT_EXIT(Parse({"--threads=four"}), testing::ExitedWithCode(2),
              "^lesson_name: --threads=four is not a whole number that fits; write e.g. 1000000 "
              "or 1e6 \\(default: 2\\)\n$");
}

// A value too large for the flag's type is malformed, not silently wrapped.
TEST(ParseFlagsDeathTest, OverflowingValueExitsTwo) {
  EXPECT_EXIT(Parse({"--threads=99999999999"}), testing::ExitedWithCode(2),
              "--threads=99999999999 is not a whole number that fits");
  EXPECT_EXIT(Parse({"--threads=1e12"}), testing::ExitedWithCode(2),
              "--threads=1e12 is not a whole number that fits");
}

// Counts accept what people type: scientific notation and underscores, when whole.
TEST(ParseFlagsTest, CountsAcceptScientificNotation) {
  Parse({"--threads=1e1"});
  EXPECT_EQ(absl::GetFlag(FLAGS_threads), 10);
  Parse({"--threads=2.5e1"});
  EXPECT_EQ(absl::GetFlag(FLAGS_threads), 25);
  Parse({"--threads=1_000"});
  EXPECT_EQ(absl::GetFlag(FLAGS_threads), 1000);
}

// A fraction is not a count.
TEST(ParseFlagsDeathTest, FractionIsNotACount) {
  EXPECT_EXIT(Parse({"--threads=2.5"}), testing::ExitedWithCode(2), "not a whole number");
}

// A duration without a unit is refused with the fix: add a unit.
TEST(ParseFlagsDeathTest, DurationNeedsAUnit) {
  EXPECT_EXIT(Parse({"--delay=1"}), testing::ExitedWithCode(2),
              "^lesson_name: --delay=1 is a number without a unit; add a unit, e\\.g\\. 1s or "
              "300ms \\(default: 100ms\\)\n$");
  EXPECT_EXIT(Parse({"--delay=soon"}), testing::ExitedWithCode(2), "--delay=soon is not a duration");
}

// --lang takes zh or en and nothing else; the rejection names the allowed values.
TEST(ParseFlagsDeathTest, LanguageMustBeZhOrEn) {
  EXPECT_EXIT(Parse({"--lang=fr"}), testing::ExitedWithCode(2),
              "^lesson_name: --lang=fr is not a language here; allowed: zh, en\n$");
}

// With --lang=zh, a rejection of another flag is already in Chinese, even when --lang
// comes after it on the command line.
TEST(ParseFlagsDeathTest, RejectionsFollowLang) {
  EXPECT_EXIT(Parse({"--threads=four", "--lang=zh"}), testing::ExitedWithCode(2),
              "^lesson_name: --threads=four 不是范围内的整数");
  EXPECT_EXIT(Parse({"--lang=zh", "--thread=3"}), testing::ExitedWithCode(2),
              "你是不是想写 --threads");
}

// --trace to a file that cannot be written is refused before any work starts.
TEST(ParseFlagsDeathTest, UnwritableTraceIsRefused) {
  EXPECT_EXIT(Parse({"--trace=/nonexistent-directory/x.json"}), testing::ExitedWithCode(2),
              "^lesson_name: --trace=/nonexistent-directory/x.json cannot be written: No such file "
              "or directory\n$");
}

// Abseil's own flags are not part of a lesson's command line.
TEST(ParseFlagsDeathTest, AbseilInternalFlagsAreUnknown) {
  EXPECT_EXIT(Parse({"--flagfile=/etc/passwd"}), testing::ExitedWithCode(2),
              "unknown flag --flagfile");
}

// Lessons take no positional arguments.
TEST(ParseFlagsDeathTest, PositionalArgumentExitsTwo) {
  EXPECT_EXIT(Parse({"4"}), testing::ExitedWithCode(2), "unexpected argument '4'");
}

// A non-boolean flag at the end with no value is refused.
TEST(ParseFlagsDeathTest, MissingValueExitsTwo) {
  EXPECT_EXIT(Parse({"--threads"}), testing::ExitedWithCode(2), "--threads needs a value");
}

// --help lists the program's flags and exits 0.
// (The help goes to stdout; the death test matches stderr, so stdout is pointed there.)
TEST(ParseFlagsDeathTest, HelpListsFlagsAndExitsZero) {
  EXPECT_EXIT(
      {
        dup2(STDERR_FILENO, STDOUT_FILENO);
        Parse({"--help"});
      },
      testing::ExitedWithCode(0),
      "^Usage: lesson_name \\[--flag=value \\.\\.\\.\\]\nusage text\n\nFlags:\n(.|\n)*"
      "  --threads \\(default: 2\\)\n      number of threads\n(.|\n)*--trace ");
}

// In Chinese the usage line, the headings and the common flags' help are translated.
TEST(ParseFlagsDeathTest, HelpInChinese) {
  EXPECT_EXIT(
      {
        dup2(STDERR_FILENO, STDOUT_FILENO);
        Parse({"--lang=zh", "--help"});
      },
      testing::ExitedWithCode(0), "^用法：lesson_name(.|\n)*参数：(.|\n)*默认(.|\n)*时间线");
}

// A value outside the allowed range names the flag and the range.
TEST(RequireInRangeDeathTest, OutOfRangeExitsTwo) {
  absl::SetFlag(&FLAGS_threads, 0);
  EXPECT_EXIT(lesson::RequireInRange(FLAGS_threads, 1, 64), testing::ExitedWithCode(2),
              "--threads=0 is out of range; allowed: 1 to 64\n$");
  absl::SetFlag(&FLAGS_delay, absl::Hours(2));
  EXPECT_EXIT(lesson::RequireInRange(FLAGS_delay, absl::ZeroDuration(), absl::Seconds(30)),
              testing::ExitedWithCode(2), "--delay=2h is out of range; allowed: 0 to 30s");
}

// A value inside the range, at either end, passes: the program goes on, silent.
TEST(RequireInRangeDeathTest, InRangeGoesOnSilently) {
  EXPECT_EXIT(
      {
        absl::SetFlag(&FLAGS_threads, 64);
        lesson::RequireInRange(FLAGS_threads, 1, 64);
        absl::SetFlag(&FLAGS_threads, 1);
        lesson::RequireInRange(FLAGS_threads, 1, 64);
        std::exit(7);  // reached only if neither call rejected the value
      },
      testing::ExitedWithCode(7), "^$");
}

// A string flag outside its set of choices lists the choices.
TEST(RequireOneOfDeathTest, UnknownChoiceExitsTwo) {
  absl::SetFlag(&FLAGS_interleave, "sometimes");
  EXPECT_EXIT(lesson::RequireOneOf(FLAGS_interleave, {"off", "forced"}),
              testing::ExitedWithCode(2), "--interleave=sometimes is not allowed; allowed: off, forced");
}

}  // namespace

namespace {

// A thread that cannot be created (EAGAIN) ends the program with one clear line.
TEST(ParseFlagsDeathTest, ThreadLimitIsExplained) {
  EXPECT_EXIT(
      {
        Parse({});
        // Escaping a thread's function, an exception reaches std::terminate, as one from
        // a failed std::thread construction does when nothing catches it.
        std::thread([] {
          throw std::system_error(
              std::make_error_code(std::errc::resource_unavailable_try_again), "thread creation");
        }).join();
      },
      testing::ExitedWithCode(1), "could not start a thread: .*RLIMIT_NPROC");
}

// Any other uncaught exception still aborts, as it would without ParseFlags.
TEST(ParseFlagsDeathTest, OtherExceptionsStillAbort) {
  EXPECT_EXIT(
      {
        Parse({});
        std::thread([] { throw std::logic_error("a bug"); }).join();
      },
      testing::KilledBySignal(SIGABRT), "a bug");
}

}  // namespace
