// coroutine/coro/async_socket.h — TCP on 127.0.0.1 with non-blocking sockets, for coroutines.
//
// The tutorial's asyncio section promises "单线程并发IO": one thread serving many
// connections. This is how: every socket is non-blocking, and when a call would block
// (EAGAIN) the coroutine awaits the fd's readiness on the EventLoop (epoll) instead, so
// the thread moves on to another connection.
//
//   coro::Socket listener = coro::ListenOnLoopback(/*port=*/0);   // the kernel picks a port
//   int port = coro::LocalPort(listener);
//   coro::Socket peer = co_await coro::Accept(listener);
//   coro::Socket client = co_await coro::ConnectToLoopback(port);
//   co_await coro::WriteAll(client, "hello");
//   std::size_t n = co_await coro::ReadSome(peer, buffer);         // 0 at end of stream
//
// Contract: loopback only (nothing here listens beyond 127.0.0.1). Errors throw
// std::system_error. The awaiting functions must run on an EventLoop; each socket has at
// most one reader and one writer coroutine at a time.
#ifndef COROUTINE_CORO_ASYNC_SOCKET_H_
#define COROUTINE_CORO_ASYNC_SOCKET_H_

#include <cstddef>
#include <span>
#include <string_view>
#include <utility>

#include "coroutine/coro/task.h"

namespace coro {

// Owns one file descriptor; closes it on destruction. Movable, not copyable.
class Socket {
 public:
  Socket() = default;
  explicit Socket(int fd) : fd_(fd) {}
  Socket(Socket&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Socket& operator=(Socket&& other) noexcept;
  ~Socket() { Close(); }

  int fd() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  void Close();

 private:
  int fd_ = -1;
};

// A non-blocking listening socket on 127.0.0.1:`port` (0: any free port).
Socket ListenOnLoopback(int port, int backlog = 1024);

// The port a socket is bound to (read back after ListenOnLoopback(0)).
int LocalPort(const Socket& socket);

// Accepts one connection; the new socket is non-blocking too.
Task<Socket> Accept(const Socket& listener);

// Connects a new non-blocking socket to 127.0.0.1:`port`.
Task<Socket> ConnectToLoopback(int port);

// Reads what is available (at least one byte), waiting until some is. Returns 0 once the
// peer has closed its end.
Task<std::size_t> ReadSome(const Socket& socket, std::span<char> buffer);

// Writes all of `data`, waiting whenever the socket's send buffer is full.
Task<void> WriteAll(const Socket& socket, std::string_view data);

// Closes the sending direction (the peer reads end of stream), keeps reading open.
void ShutdownWrite(const Socket& socket);

}  // namespace coro

#endif  // COROUTINE_CORO_ASYNC_SOCKET_H_
