// Echo over loopback TCP, one thread, real clock: the sockets are real.
#include "coroutine/coro/async_socket.h"

#include <array>
#include <string>
#include <vector>

#include "coroutine/coro/event_loop.h"
#include "coroutine/coro/gather.h"
#include "coroutine/coro/task.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace {

using ::coro::Socket;
using ::coro::Task;

// Echoes everything until the client closes.
Task<void> Echo(Socket peer) {
  std::array<char, 4096> buffer;
  while (std::size_t n = co_await coro::ReadSome(peer, buffer)) {
    co_await coro::WriteAll(peer, std::string_view(buffer.data(), n));
  }
}

Task<void> Serve(const Socket* listener, int connections) {
  std::vector<Task<void>> sessions;
  for (int i = 0; i < connections; ++i) sessions.push_back(Echo(co_await coro::Accept(*listener)));
  co_await coro::Gather(std::move(sessions));
}

// Sends each message, reads until the whole echo is back; returns what came back.
Task<std::vector<std::string>> Client(int port, std::vector<std::string> messages) {
  Socket socket = co_await coro::ConnectToLoopback(port);
  std::vector<std::string> echoed;
  for (const std::string& message : messages) {
    co_await coro::WriteAll(socket, message);
    std::string back;
    std::array<char, 4096> buffer;
    while (back.size() < message.size()) {
      std::size_t n = co_await coro::ReadSome(socket, buffer);
      if (n == 0) break;
      back.append(buffer.data(), n);
    }
    echoed.push_back(back);
  }
  coro::ShutdownWrite(socket);
  std::array<char, 16> rest;
  EXPECT_EQ(co_await coro::ReadSome(socket, rest), 0u);  // the server closed too
  co_return echoed;
}

Task<std::vector<std::vector<std::string>>> ServerAndClients(int clients) {
  Socket listener = coro::ListenOnLoopback(0);
  int port = coro::LocalPort(listener);
  coro::Future<void> server = coro::CreateTask(Serve(&listener, clients));
  std::vector<Task<std::vector<std::string>>> tasks;
  for (int c = 0; c < clients; ++c) {
    tasks.push_back(Client(port, {"hello " + std::to_string(c), std::string(100000, 'x'), "bye"}));
  }
  std::vector<std::vector<std::string>> results = co_await coro::Gather(std::move(tasks));
  co_await server;
  co_return results;
}

// Every message of every client comes back intact, large ones included (partial reads
// and writes), with all clients served concurrently on this one thread.
TEST(AsyncSocketTest, EchoRoundTrips) {
  std::vector<std::vector<std::string>> results = coro::Run(ServerAndClients(20));
  ASSERT_EQ(results.size(), 20u);
  for (int c = 0; c < 20; ++c) {
    EXPECT_THAT(results[c], testing::ElementsAre("hello " + std::to_string(c),
                                                 std::string(100000, 'x'), "bye"));
  }
}

// The listener is on 127.0.0.1 and the kernel chose a real port.
TEST(AsyncSocketTest, ListensOnLoopbackWithAChosenPort) {
  Socket listener = coro::ListenOnLoopback(0);
  EXPECT_GT(coro::LocalPort(listener), 0);
}

Task<Socket> ConnectTo(int port) { co_return co_await coro::ConnectToLoopback(port); }

// Connecting to a closed port fails with an exception, not a hang.
TEST(AsyncSocketTest, RefusedConnectionThrows) {
  int port;
  {
    Socket listener = coro::ListenOnLoopback(0);
    port = coro::LocalPort(listener);
  }  // closed: nothing listens there now
  EXPECT_THROW(coro::Run(ConnectTo(port)), std::system_error);
}

}  // namespace
