#include "common/lesson_testing.h"

#include <algorithm>
#include <regex>

#include "gtest/gtest.h"

namespace lesson::testing {

ProgramResult RunLesson(std::string_view lesson_path, const std::vector<std::string>& flags,
                        const RunOptions& options) {
  std::vector<std::string> argv = {RunfilePath(lesson_path)};
  // Behaviour tests read English, whatever language the machine running them speaks.
  const bool has_lang = std::any_of(flags.begin(), flags.end(), [](const std::string& f) {
    return f.starts_with("--lang");
  });
  if (!has_lang) argv.push_back("--lang=en");
  argv.insert(argv.end(), flags.begin(), flags.end());
  return RunProgram(argv, options);
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

int FindLine(const std::vector<std::string>& lines, std::string_view needle, int from) {
  for (int i = std::max(from, 0); i < static_cast<int>(lines.size()); ++i) {
    if (lines[i].find(needle) != std::string::npos) return i;
  }
  return -1;
}

int Count(const std::string& text, std::string_view needle) {
  if (needle.empty()) return 0;
  int count = 0;
  for (size_t at = text.find(needle); at != std::string::npos;
       at = text.find(needle, at + needle.size())) {
    ++count;
  }
  return count;
}

std::string LiveOutput(const std::string& stdout_text) {
  return stdout_text.substr(0, stdout_text.find("\nWhat to notice:\n"));
}

void ExpectRejected(std::string_view lesson_path, const std::string& bad_flag) {
  ExpectRejected(lesson_path, {bad_flag}, bad_flag.substr(0, bad_flag.find('=')));
}

namespace {

// What every lesson promises for a command line it refuses; returns the result.
ProgramResult ExpectOneLineRefusal(std::string_view lesson_path,
                                   const std::vector<std::string>& flags,
                                   std::string_view flag_name, const RunOptions& options) {
  ProgramResult r = RunLesson(lesson_path, flags, options);
  const std::string command_line = ::testing::PrintToString(flags);
  EXPECT_EQ(r.exit_code, 2) << command_line << "\nstderr: " << r.stderr_text;
  EXPECT_EQ(r.stdout_text, "") << command_line;
  EXPECT_NE(r.stderr_text.find(flag_name), std::string::npos)
      << command_line << ": " << r.stderr_text;
  EXPECT_EQ(std::count(r.stderr_text.begin(), r.stderr_text.end(), '\n'), 1)
      << command_line << ": " << r.stderr_text;
  EXPECT_EQ(r.leftover_processes, 0) << command_line;
  return r;
}

}  // namespace

void ExpectRejected(std::string_view lesson_path, const std::vector<std::string>& flags,
                    std::string_view flag_name, const RunOptions& options) {
  ExpectOneLineRefusal(lesson_path, flags, flag_name, options);
}

void ExpectRejectedSaying(std::string_view lesson_path, const std::string& bad_flag,
                          std::string_view line) {
  const ProgramResult r =
      ExpectOneLineRefusal(lesson_path, {bad_flag}, bad_flag.substr(0, bad_flag.find('=')), {});
  EXPECT_EQ(r.stderr_text, line);
}

Groups Search(const std::string& text, const std::string& pattern) {
  std::smatch match;
  if (!std::regex_search(text, match, std::regex(pattern))) return {};
  return Groups(match.begin(), match.end());
}

std::vector<Groups> SearchAll(const std::string& text, const std::string& pattern) {
  const std::regex re(pattern);
  std::vector<Groups> all;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), re); it != std::sregex_iterator();
       ++it) {
    all.emplace_back(it->begin(), it->end());
  }
  return all;
}

}  // namespace lesson::testing
