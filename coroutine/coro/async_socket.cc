#include "coroutine/coro/async_socket.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

#include "coroutine/coro/event_loop.h"

namespace coro {
namespace {

[[noreturn]] void Fail(const char* what) {
  throw std::system_error(errno, std::generic_category(), what);
}

sockaddr_in LoopbackAddress(int port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

Socket NewTcpSocket() {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) Fail("socket");
  return Socket(fd);
}

}  // namespace

Socket& Socket::operator=(Socket&& other) noexcept {
  if (this != &other) {
    Close();
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

void Socket::Close() {
  if (fd_ >= 0) ::close(std::exchange(fd_, -1));
}

Socket ListenOnLoopback(int port, int backlog) {
  Socket listener = NewTcpSocket();
  int on = 1;
  ::setsockopt(listener.fd(), SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  sockaddr_in address = LoopbackAddress(port);
  if (::bind(listener.fd(), reinterpret_cast<sockaddr*>(&address), sizeof address) < 0) {
    Fail("bind");
  }
  if (::listen(listener.fd(), backlog) < 0) Fail("listen");
  return listener;
}

int LocalPort(const Socket& socket) {
  sockaddr_in address{};
  socklen_t length = sizeof address;
  if (::getsockname(socket.fd(), reinterpret_cast<sockaddr*>(&address), &length) < 0) {
    Fail("getsockname");
  }
  return ntohs(address.sin_port);
}

Task<Socket> Accept(const Socket& listener) {
  while (true) {
    int fd = ::accept4(listener.fd(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd >= 0) {
      int on = 1;  // small request/reply messages: send them now, not after 40 ms
      ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
      co_return Socket(fd);
    }
    if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) Fail("accept4");
    co_await Readable(listener.fd());  // a connection is waiting when it is readable
  }
}

Task<Socket> ConnectToLoopback(int port) {
  Socket socket = NewTcpSocket();
  sockaddr_in address = LoopbackAddress(port);
  if (::connect(socket.fd(), reinterpret_cast<sockaddr*>(&address), sizeof address) < 0) {
    if (errno != EINPROGRESS) Fail("connect");
    co_await Writable(socket.fd());  // the handshake has finished, one way or the other
    int error = 0;
    socklen_t length = sizeof error;
    if (::getsockopt(socket.fd(), SOL_SOCKET, SO_ERROR, &error, &length) < 0) Fail("getsockopt");
    if (error != 0) throw std::system_error(error, std::generic_category(), "connect");
  }
  int on = 1;  // small request/reply messages: send them now, not after 40 ms
  ::setsockopt(socket.fd(), IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
  co_return socket;
}

Task<std::size_t> ReadSome(const Socket& socket, std::span<char> buffer) {
  while (true) {
    ssize_t n = ::read(socket.fd(), buffer.data(), buffer.size());
    if (n >= 0) co_return static_cast<std::size_t>(n);
    if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) Fail("read");
    co_await Readable(socket.fd());
  }
}

Task<void> WriteAll(const Socket& socket, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::send(socket.fd(), data.data(), data.size(), MSG_NOSIGNAL);
    if (n >= 0) {
      data.remove_prefix(static_cast<std::size_t>(n));
      continue;
    }
    if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) Fail("send");
    co_await Writable(socket.fd());
  }
}

void ShutdownWrite(const Socket& socket) {
  if (::shutdown(socket.fd(), SHUT_WR) < 0) Fail("shutdown");
}

}  // namespace coro
