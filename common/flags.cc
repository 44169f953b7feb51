#include "common/flags.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <exception>
#include <limits>
#include <system_error>
#include <vector>

#include "absl/flags/commandlineflag.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "common/i18n.h"
#include "common/lesson.h"
#include "common/trace.h"

ABSL_FLAG(std::string, lang, "",
          "language of everything printed: zh (中文) or en; default: from LANGUAGE, LC_ALL, "
          "LC_MESSAGES or LANG (zh* means Chinese)");
ABSL_FLAG(std::string, trace, "",
          "write a timeline of the run to this file (Chrome trace JSON: open it in "
          "ui.perfetto.dev or draw it with //tools:timeline)");

namespace lesson {
namespace {

std::string& MutableProgramName() {
  static std::string name = "lesson";
  return name;
}

[[noreturn]] void Reject(const Text& message) {
  std::string line = absl::StrFormat("%s: %s\n", ProgramName(), message.str());
  // One write, unbuffered: the line is the whole report, even if stdout is a pipe.
  (void)!::write(STDERR_FILENO, line.data(), line.size());
  std::exit(kBadUsageExitCode);
}

absl::string_view ToAbsl(std::string_view text) { return {text.data(), text.size()}; }

// The flags a user may set: the program's own and //common's, not Abseil's internal ones
// (--flagfile, --fromenv, ...), which no lesson documents.
absl::CommandLineFlag* FindProgramFlag(std::string_view name) {
  absl::CommandLineFlag* flag = absl::FindCommandLineFlag(ToAbsl(name));
  if (flag == nullptr || absl::StrContains(flag->Filename(), "absl/")) return nullptr;
  return flag;
}

std::vector<absl::CommandLineFlag*> ProgramFlags() {
  std::vector<absl::CommandLineFlag*> flags;
  for (const auto& [name, flag] : absl::GetAllFlags()) {
    if (FindProgramFlag(std::string_view(name.data(), name.size())) != nullptr) {
      flags.push_back(flag);
    }
  }
  std::sort(flags.begin(), flags.end(), [](auto* a, auto* b) { return a->Name() < b->Name(); });
  return flags;
}

void PrintHelp(FormatString<> usage) {
  Print("Usage: %s [--flag=value ...]", ProgramName());
  WriteLine(Format(usage));
  const std::vector<absl::CommandLineFlag*> flags = ProgramFlags();
  if (flags.empty()) return;
  WriteLine(absl::StrCat("\n", Tr("Flags:").str()));
  for (const absl::CommandLineFlag* flag : flags) {
    const std::string help = flag->Help();
    std::string default_value = flag->DefaultValue();
    if (default_value.empty()) default_value = "\"\"";
    WriteLine(absl::StrFormat("  --%s %s\n      %s", std::string(flag->Name()),
                              Format("(default: %s)", default_value).str(),
                              Translate(help.c_str())));
  }
}

// Levenshtein distance, for "did you mean".
int EditDistance(std::string_view a, std::string_view b) {
  std::vector<int> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = static_cast<int>(j);
  for (size_t i = 1; i <= a.size(); ++i) {
    int diagonal = row[0];
    row[0] = static_cast<int>(i);
    for (size_t j = 1; j <= b.size(); ++j) {
      const int up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

bool IsIntegerFlag(const absl::CommandLineFlag& flag) {
  return flag.IsOfType<int>() || flag.IsOfType<int64_t>() || flag.IsOfType<uint64_t>() ||
         flag.IsOfType<uint32_t>() || flag.IsOfType<int16_t>() || flag.IsOfType<uint16_t>();
}

// "1e9", "2.5e6" or "1_000_000" as the whole number they mean, if they mean one.
std::optional<std::string> WholeNumber(std::string_view value) {
  std::string digits;
  for (char c : value) {
    if (c != '_') digits += c;
  }
  int64_t as_integer;
  if (absl::SimpleAtoi(digits, &as_integer)) return std::to_string(as_integer);
  double as_double;
  if (!absl::StrContains(digits, 'e') && !absl::StrContains(digits, 'E')) return std::nullopt;
  if (!absl::SimpleAtod(digits, &as_double) || !std::isfinite(as_double)) return std::nullopt;
  if (as_double != std::floor(as_double) || std::fabs(as_double) > 9.2e18) return std::nullopt;
  return absl::StrFormat("%.0f", as_double);
}

// Explains why `value` does not parse for `flag`, in words a learner can act on.
Text WhyNotValid(const absl::CommandLineFlag& flag, std::string_view value) {
  const std::string default_value = flag.DefaultValue();
  if (flag.IsOfType<absl::Duration>()) {
    double number;
    if (absl::SimpleAtod(ToAbsl(value), &number)) {
      return Format("is a number without a unit; add a unit, e.g. 1s or 300ms (default: %s)",
                    default_value);
    }
    return Format("is not a duration; write a number and a unit, e.g. 1s, 300ms or 50us "
                  "(default: %s)", default_value);
  }
  if (IsIntegerFlag(flag)) {
    return Format("is not a whole number that fits; write e.g. 1000000 or 1e6 (default: %s)",
                  default_value);
  }
  if (flag.IsOfType<bool>()) {
    return Format("is not true or false (default: %s)", default_value);
  }
  return Format("is not a valid value (default: %s)", default_value);
}

std::terminate_handler previous_terminate_handler = nullptr;

// A thread that could not be created is a limit of the machine, not a bug of the lesson:
// say so in one line instead of aborting.
[[noreturn]] void ExplainThreadLimitThenTerminate() {
  if (std::exception_ptr current = std::current_exception()) {
    try {
      std::rethrow_exception(current);
    } catch (const std::system_error& error) {
      if (error.code() == std::errc::resource_unavailable_try_again) {
        PrintError("could not start a thread: %s (the user's process limit RLIMIT_NPROC, see "
                   "`ulimit -u`, or the system's thread limit is reached)",
                   error.what());
        std::_Exit(1);
      }
    } catch (...) {
    }
  }
  (previous_terminate_handler ? previous_terminate_handler : std::abort)();
  std::abort();  // A terminate handler must not return.
}

// --lang is applied before any other flag is looked at, so that every message about the
// command line is already in the language asked for.
void ApplyLanguageFlag(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    std::string_view value;
    if (arg.starts_with("--lang=") || arg.starts_with("-lang=")) {
      value = arg.substr(arg.find('=') + 1);
    } else if ((arg == "--lang" || arg == "-lang") && i + 1 < argc) {
      value = argv[i + 1];
    } else {
      continue;
    }
    if (std::optional<Language> language = ParseLanguage(value)) {
      SetLanguage(*language);
    } else {
      (void)CurrentLanguage();  // The rejection follows the environment's language.
      RejectFlag("lang", value, Tr("is not a language here; allowed: zh, en"));
    }
  }
  (void)CurrentLanguage();  // Settled now, while the program has one thread.
}

}  // namespace

const std::string& ProgramName() { return MutableProgramName(); }

std::string NearestFlagName(std::string_view name) {
  std::string best;
  int best_distance = 3;
  for (const absl::CommandLineFlag* flag : ProgramFlags()) {
    const std::string candidate(flag->Name());
    int distance = EditDistance(name, candidate);
    if (name.size() >= 3 && candidate.starts_with(name)) distance = std::min(distance, 1);
    if (distance < best_distance) {
      best_distance = distance;
      best = candidate;
    }
  }
  return best;
}

void RejectFlag(std::string_view flag_name, std::string_view value, const Text& why) {
  Reject(Verbatim(absl::StrFormat("--%s=%s %s", flag_name, value, why.str())));
}

namespace flags_internal {

std::string NameOf(const absl::CommandLineFlag& flag) { return std::string(flag.Name()); }

void RejectOutOfRange(std::string_view name, const std::string& value, const std::string& lo,
                      const std::string& hi) {
  RejectFlag(name, value, Format("is out of range; allowed: %s to %s", lo, hi));
}

}  // namespace flags_internal

void RequireOneOf(const absl::Flag<std::string>& flag,
                  std::initializer_list<std::string_view> allowed) {
  const std::string value = absl::GetFlag(flag);
  if (std::find(allowed.begin(), allowed.end(), value) != allowed.end()) return;
  std::string choices;
  for (std::string_view choice : allowed) {
    if (!choices.empty()) choices += ", ";
    choices += choice;
  }
  RejectFlag(std::string(absl::GetFlagReflectionHandle(flag).Name()), value,
             Format("is not allowed; allowed: %s", choices));
}

void ParseFlags(int argc, char** argv, FormatString<> usage) {
  if (previous_terminate_handler == nullptr) {
    previous_terminate_handler = std::set_terminate(ExplainThreadLimitThenTerminate);
  }
  if (argc > 0 && argv[0] != nullptr) {
    std::string_view path = argv[0];
    MutableProgramName() = std::string(path.substr(path.find_last_of('/') + 1));
  }
  ApplyLanguageFlag(argc, argv);
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--" || !arg.starts_with("-") || arg == "-") {
      Reject(Format("unexpected argument '%s': this program takes only --flags (see --help)",
                    arg));
    }
    arg.remove_prefix(arg.starts_with("--") ? 2 : 1);
    std::string_view name = arg;
    std::string_view value;
    bool has_value = false;
    if (size_t eq = arg.find('='); eq != std::string_view::npos) {
      name = arg.substr(0, eq);
      value = arg.substr(eq + 1);
      has_value = true;
    }
    if (name == "help" || name == "h" || name == "helpfull") {
      PrintHelp(usage);
      std::exit(0);
    }
    absl::CommandLineFlag* flag = FindProgramFlag(name);
    if (flag == nullptr && !has_value && name.starts_with("no")) {
      absl::CommandLineFlag* negated = FindProgramFlag(name.substr(2));
      if (negated != nullptr && negated->IsOfType<bool>()) {
        flag = negated;
        value = "false";
        has_value = true;
      }
    }
    if (flag == nullptr) {
      const std::string nearest = NearestFlagName(name);
      if (!nearest.empty()) {
        Reject(Format("unknown flag --%s; did you mean --%s? (see --help)", name, nearest));
      }
      Reject(Format("unknown flag --%s (see --help for the flags)", name));
    }
    if (!has_value) {
      if (flag->IsOfType<bool>()) {
        value = "true";
      } else if (i + 1 < argc) {
        value = argv[++i];
      } else {
        Reject(Format("--%s needs a value (default: %s)", name, flag->DefaultValue()));
      }
    }
    std::string error;
    if (flag->ParseFrom(ToAbsl(value), &error)) continue;
    if (IsIntegerFlag(*flag)) {
      if (std::optional<std::string> whole = WholeNumber(value);
          whole && flag->ParseFrom(*whole, &error)) {
        continue;
      }
    }
    RejectFlag(std::string(flag->Name()), value, WhyNotValid(*flag, value));
  }
  // The timeline, last: only a command line that makes sense starts one.
  if (const std::string path = absl::GetFlag(FLAGS_trace); !path.empty()) {
    if (std::string why = trace::Start(path, ProgramName()); !why.empty()) {
      RejectFlag("trace", path, Format("cannot be written: %s", why));
    }
  } else {
    trace::JoinInheritedTrace(ProgramName());
  }
}

}  // namespace lesson
