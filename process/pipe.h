// process/pipe.h — a one-way byte channel between a parent and its child.
//
// Processes share no memory (see //process:address_space), so a result computed in a
// child has to be sent back: the tutorial's "数据通信不方便". A pipe is the simplest way:
// what the child writes into one end, the parent reads from the other.
//
//   process::Pipe pipe = process::Pipe::Create().value();
//   process::Process child([&pipe] {
//     pipe.CloseRead();
//     return pipe.WriteAll("42\n").ok() ? 0 : 1;
//   });
//   child.Start();
//   pipe.CloseWrite();                      // or ReadAll() would wait for our own end
//   std::string answer = pipe.ReadAll().value();   // "42\n", at the child's end of file
//
// The lambda may capture the Pipe by reference: a forked child has a copy of the whole
// parent memory, at the same addresses. Both ends are created close-on-exec, so a program
// started with posix_spawn does not inherit them by accident.
#ifndef PROCESS_PIPE_H_
#define PROCESS_PIPE_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace process {

class Pipe {
 public:
  // A new pipe with both ends open.
  static absl::StatusOr<Pipe> Create();

  Pipe(Pipe&& other) noexcept;
  Pipe& operator=(Pipe&& other) noexcept;
  Pipe(const Pipe&) = delete;
  Pipe& operator=(const Pipe&) = delete;
  ~Pipe();  // Closes the ends still open.

  int read_fd() const { return read_fd_; }    // -1 once closed
  int write_fd() const { return write_fd_; }  // -1 once closed

  void CloseRead();
  void CloseWrite();

  // Writes all of `data` to the write end (retrying short writes and EINTR). Uses only
  // write(2): safe in a forked child. A write of at most PIPE_BUF (4096) bytes is atomic:
  // it never interleaves with other writers' data.
  absl::Status WriteAll(std::string_view data);

  // Reads the read end until end of file, i.e. until every copy of the write end (in
  // this process and in every child) is closed. In a trace, the wait is a span in the
  // state kIo (waiting for I/O).
  absl::StatusOr<std::string> ReadAll();

 private:
  Pipe(int read_fd, int write_fd) : read_fd_(read_fd), write_fd_(write_fd) {}

  int read_fd_ = -1;
  int write_fd_ = -1;
};

}  // namespace process

#endif  // PROCESS_PIPE_H_
