#include "common/flags.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <exception>
#include <system_error>
#include <vector>

#include "absl/flags/commandlineflag.h"
#include "absl/strings/match.h"
#include "absl/strings/str_format.h"
#include "common/lesson.h"

namespace lesson {
namespace {

std::string& ProgramName() {
  static std::string name = "lesson";
  return name;
}

[[noreturn]] void Reject(std::string_view message) {
  std::string line = absl::StrFormat("%s: %s\n", ProgramName(), message);
  // One write, unbuffered: the line is the whole report, even if stdout is a pipe.
  (void)!::write(STDERR_FILENO, line.data(), line.size());
  std::exit(kBadUsageExitCode);
}

absl::string_view ToAbsl(std::string_view text) { return {text.data(), text.size()}; }

// The flags a user may set: the program's own, not Abseil's internal ones
// (--flagfile, --fromenv, ...), which no lesson documents.
absl::CommandLineFlag* FindProgramFlag(std::string_view name) {
  absl::CommandLineFlag* flag = absl::FindCommandLineFlag(ToAbsl(name));
  if (flag == nullptr || absl::StrContains(flag->Filename(), "absl/")) return nullptr;
  return flag;
}

void PrintHelp(std::string_view usage) {
  WriteLine(absl::StrFormat("Usage: %s [--flag=value ...]", ProgramName()));
  WriteLine(usage);
  std::vector<absl::CommandLineFlag*> flags;
  for (const auto& [name, flag] : absl::GetAllFlags()) {
    if (FindProgramFlag(std::string_view(name.data(), name.size())) != nullptr) {
      flags.push_back(flag);
    }
  }
  std::sort(flags.begin(), flags.end(), [](auto* a, auto* b) { return a->Name() < b->Name(); });
  if (flags.empty()) return;
  WriteLine("\nFlags:");
  for (const absl::CommandLineFlag* flag : flags) {
    WriteLine(absl::StrFormat("  --%s (default: %s)\n      %s", flag->Name(),
                              flag->DefaultValue(), flag->Help()));
  }
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
        std::string line = absl::StrFormat(
            "%s: could not start a thread: %s (the user's process limit RLIMIT_NPROC, see "
            "`ulimit -u`, or the system's thread limit is reached)\n",
            ProgramName(), error.what());
        (void)!::write(STDERR_FILENO, line.data(), line.size());
        std::_Exit(1);
      }
    } catch (...) {
    }
  }
  (previous_terminate_handler ? previous_terminate_handler : std::abort)();
  std::abort();  // A terminate handler must not return.
}

}  // namespace

void RejectFlag(std::string_view flag_name, std::string_view value, std::string_view why) {
  Reject(absl::StrFormat("--%s=%s %s", flag_name, value, why));
}

void RequireOneOf(const absl::Flag<std::string>& flag,
                  std::initializer_list<std::string_view> allowed) {
  const std::string value = absl::GetFlag(flag);
  if (std::find(allowed.begin(), allowed.end(), value) != allowed.end()) return;
  std::string choices;
  for (std::string_view choice : allowed) {
    choices += choices.empty() ? "" : ", ";
    choices += choice;
  }
  RejectFlag(std::string(absl::GetFlagReflectionHandle(flag).Name()), value,
             "is not allowed; allowed: " + choices);
}

void ParseFlags(int argc, char** argv, std::string_view usage) {
  if (previous_terminate_handler == nullptr) {
    previous_terminate_handler = std::set_terminate(ExplainThreadLimitThenTerminate);
  }
  if (argc > 0 && argv[0] != nullptr) {
    std::string_view path = argv[0];
    ProgramName() = std::string(path.substr(path.find_last_of('/') + 1));
  }
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--" || !arg.starts_with("-") || arg == "-") {
      Reject(absl::StrFormat("unexpected argument '%s': this program takes only --flags (see --help)",
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
      Reject(absl::StrFormat("unknown flag --%s (see --help for the flags)", name));
    }
    if (!has_value) {
      if (flag->IsOfType<bool>()) {
        value = "true";
      } else if (i + 1 < argc) {
        value = argv[++i];
      } else {
        Reject(absl::StrFormat("--%s needs a value (default: %s)", name, flag->DefaultValue()));
      }
    }
    std::string error;
    if (!flag->ParseFrom(ToAbsl(value), &error)) {
      RejectFlag(std::string(flag->Name()), value,
                 absl::StrFormat("is not a valid value (default: %s)", flag->DefaultValue()));
    }
  }
}

}  // namespace lesson
