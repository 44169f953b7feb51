#include "common/lesson.h"

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <string>

namespace lesson {

namespace {

void WriteAll(int fd, std::string_view prefix, std::string_view line) {
  std::string buffer;
  buffer.reserve(prefix.size() + line.size() + 1);
  buffer.append(prefix);
  buffer.append(line);
  buffer.push_back('\n');
  const char* data = buffer.data();
  size_t left = buffer.size();
  while (left > 0) {  // A line longer than a pipe's buffer may need several writes.
    ssize_t written = ::write(fd, data, left);
    if (written < 0) {
      if (errno == EINTR) continue;
      return;  // The stream is gone (closed pipe): nothing useful left to do.
    }
    data += written;
    left -= static_cast<size_t>(written);
  }
}

}  // namespace

void WriteLine(std::string_view line) { WriteAll(STDOUT_FILENO, "", line); }

void WriteErrorLine(std::string_view message) {
  // glibc's short program name: argv[0] without its directory.
  WriteAll(STDERR_FILENO, absl::StrFormat("%s: ", program_invocation_short_name), message);
}

void Title(std::string_view chinese, std::string_view english) {
  std::string rule(60, '=');
  WriteLine(rule);
  WriteLine(absl::StrFormat("%s  (%s)", chinese, english));
  WriteLine(rule);
}

void Step(std::string_view what) { WriteLine(absl::StrFormat("\n--- %s", what)); }

void Notice(std::initializer_list<std::string_view> points) {
  WriteLine("\nWhat to notice:");
  for (std::string_view point : points) WriteLine(absl::StrFormat("  * %s", point));
}

long ThreadId() { return static_cast<long>(::gettid()); }

}  // namespace lesson
