#include "process/pipe.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

#include "absl/strings/str_format.h"
#include "common/trace.h"

namespace process {
namespace {

absl::Status ErrnoError(const char* call, int error) {
  return absl::InternalError(absl::StrFormat("%s: %s", call, strerrordesc_np(error)));
}

void CloseFd(int& fd) {
  if (fd >= 0) close(fd);
  fd = -1;
}

}  // namespace

absl::StatusOr<Pipe> Pipe::Create() {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return ErrnoError("pipe2", errno);
  return Pipe(fds[0], fds[1]);
}

Pipe::Pipe(Pipe&& other) noexcept
    : read_fd_(std::exchange(other.read_fd_, -1)), write_fd_(std::exchange(other.write_fd_, -1)) {}

Pipe& Pipe::operator=(Pipe&& other) noexcept {
  if (this != &other) {
    CloseRead();
    CloseWrite();
    read_fd_ = std::exchange(other.read_fd_, -1);
    write_fd_ = std::exchange(other.write_fd_, -1);
  }
  return *this;
}

Pipe::~Pipe() {
  CloseRead();
  CloseWrite();
}

void Pipe::CloseRead() { CloseFd(read_fd_); }

void Pipe::CloseWrite() { CloseFd(write_fd_); }

absl::Status Pipe::WriteAll(std::string_view data) {
  if (write_fd_ < 0) return absl::FailedPreconditionError("WriteAll: the write end is closed");
  while (!data.empty()) {
    ssize_t written = write(write_fd_, data.data(), data.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      return ErrnoError("write", errno);
    }
    data.remove_prefix(static_cast<size_t>(written));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> Pipe::ReadAll() {
  if (read_fd_ < 0) return absl::FailedPreconditionError("ReadAll: the read end is closed");
  trace::Span reading("read the pipe until every writer has closed it", trace::kIo);
  std::string text;
  char buffer[4096];
  while (true) {
    ssize_t n = read(read_fd_, buffer, sizeof buffer);
    if (n == 0) return text;
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoError("read", errno);
    }
    text.append(buffer, static_cast<size_t>(n));
  }
}

}  // namespace process
