// Echo over loopback TCP, one thread, real clock: the sockets are real.
#include "coroutine/coro/async_socket.h"

#include <array>
#include <string>
#include <vector>

#include "coroutine/coro/event_loop.h"
#include "coroutine/coro/gather_and_wait.h"
#include "coroutine/coro/task.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace coro {
namespace {

// Echoes everything until the client closes.
Task<void> Echo(Socket peer) {
  std::array<char, 4096> buffer;
  while (std::size_t n = co_await ReadSome(peer, buffer)) {
    co_await WriteAll(peer, std::string_view(buffer.data(), n));
  }
}

Task<void> Serve(const Socket* listener, int connections) {
  std::vector<Task<void>> sessions;
  for (int i = 0; i < connections; ++i) sessions.push_back(Echo(co_await Accept(*listener)));
  co_await Gather(std::move(sessions));
}

// Sends each message, reads until the whole echo is back; returns what came back.
Task<std::vector<std::string>> Client(int port, std::vector<std::string> messages) {
  Socket socket = co_await ConnectToLoopback(port);
  std::vector<std::string> echoed;
  for (const std::string& message : messages) {
    co_await WriteAll(socket, message);
    std::string back;
    std::array<char, 4096> buffer;
    while (back.size() < message.size()) {
      std::size_t n = co_await ReadSome(socket, buffer);
      if (n == 0) break;
      back.append(buffer.data(), n);
    }
    echoed.push_back(back);
  }
  ShutdownWrite(socket);
  std::array<char, 16> rest;
  EXPECT_EQ(co_await ReadSome(socket, rest), 0u);  // the server closed too
  co_return echoed;
}

Task<std::vector<std::vector<std::string>>> ServerAndClients(int clients) {
  Socket listener = ListenOnLoopback(0);
  int port = LocalPort(listener);
  Future<void> server = CreateTask(Serve(&listener, clients));
  std::vector<Task<std::vector<std::string>>> tasks;
  for (int c = 0; c < clients; ++c) {
    tasks.push_back(Client(port, {"hello " + std::to_string(c), std::string(100000, 'x'), "bye"}));
  }
  std::vector<std::vector<std::string>> results = co_await Gather(std::move(tasks));
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
  Socket listener = ListenOnLoopback(0);
  EXPECT_GT(LocalPort(listener), 0);
}

Task<Socket> ConnectTo(int port) { co_return co_await ConnectToLoopback(port); }

// Connecting to a closed port fails with an exception, not a hang.
TEST(AsyncSocketTest, RefusedConnectionThrows) {
  int port;
  {
    Socket listener = ListenOnLoopback(0);
    port = LocalPort(listener);
  }  // closed: nothing listens there now
  EXPECT_THROW(coro::Run(ConnectTo(port)), std::system_error);
}

}  // namespace
}  // namespace coro
