// coroutine/echo.cc — asyncio 模块: 单线程并发IO (one thread serving many connections)
//
// The tutorial says asyncio "可以实现单线程并发IO": one thread doing I/O for many
// connections at once. Here that happens for real, over TCP on 127.0.0.1: a server
// coroutine accepts K clients and runs one echo session per connection, while K client
// coroutines connect, send messages, read each echo back and check it. Every socket is
// non-blocking: a read or write that would block suspends its coroutine until epoll
// reports the socket ready, and the same thread serves another connection meanwhile.
//
// Threads would need one blocked thread per connection; here the count of threads is 1,
// and the lesson prints how many connections that one thread had open at the same moment.
// The kernel picks the port (bind to port 0), so runs never collide.
//
// The trace (--trace) gives each client and each server session a row of its own (a task,
// named here; the library records its waits for the socket and its pauses): they overlap
// on the one thread.
//
//   bazel run //coroutine:echo -- --clients=100 --messages=5
//   bazel run //coroutine:echo -- --clients=5 --trace=/tmp/echo.json
#include <sys/resource.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <set>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "common/flags.h"
#include "common/lesson.h"
#include "common/stopwatch.h"
#include "coroutine/conclusions.h"
#include "coroutine/coro/async_socket.h"
#include "coroutine/coro/event_loop.h"
#include "coroutine/coro/gather_and_wait.h"
#include "coroutine/coro/task.h"

ABSL_FLAG(int, clients, 50, "how many clients connect at once");
ABSL_FLAG(int, messages, 5, "messages each client sends (and gets echoed back)");
ABSL_FLAG(absl::Duration, pause, absl::Milliseconds(20), "pause between a client's messages");

namespace {

using Duration = std::chrono::nanoseconds;

struct Stats {
  int open_now = 0;      // server sessions open at this moment
  int open_most = 0;     // the most that were open at one moment
  int served = 0;        // sessions that ran to the end
  int round_trips = 0;   // messages echoed back intact
  int mismatches = 0;    // messages echoed back wrong (should stay 0)
  std::set<long> threads;  // every thread that ran a session or a client
} stats;

// Server side of one connection: echo everything until the client closes its end.
coro::Task<void> Session(coro::Socket peer) {
  stats.threads.insert(lesson::ThreadId());
  stats.open_most = std::max(stats.open_most, ++stats.open_now);
  std::array<char, 4096> buffer;
  while (std::size_t n = co_await coro::ReadSome(peer, buffer)) {  // suspends while idle
    co_await coro::WriteAll(peer, std::string_view(buffer.data(), n));
  }
  --stats.open_now;
  ++stats.served;
}  // `peer` closes here

// Accepts `clients` connections, one session each, and waits for all sessions to end.
coro::Task<void> Server(const coro::Socket* listener, int clients) {
  std::vector<coro::Future<void>> sessions;
  for (int i = 0; i < clients; ++i) {
    sessions.push_back(coro::CreateTask(Session(co_await coro::Accept(*listener)),
                                        absl::StrFormat("server session %d", i)));
  }
  co_await coro::Gather(std::move(sessions));
}

coro::Task<void> Client(int port, int id, int messages, Duration pause) {
  stats.threads.insert(lesson::ThreadId());
  coro::Socket socket = co_await coro::ConnectToLoopback(port);
  for (int m = 1; m <= messages; ++m) {
    // The message is data, not a sentence: the same bytes in every language.
    const std::string message = absl::StrFormat("client %d, message %d", id, m);
    co_await coro::WriteAll(socket, message);
    std::string echoed;
    std::array<char, 256> buffer;
    while (echoed.size() < message.size()) {  // TCP is a stream: an echo may come in pieces
      std::size_t n = co_await coro::ReadSome(socket, buffer);
      if (n == 0) break;
      echoed.append(buffer.data(), n);
    }
    if (echoed == message) {
      ++stats.round_trips;
    } else {
      ++stats.mismatches;
    }
    if (id == 0) lesson::Print("  client 0 sent \"%s\", got \"%s\" back", message, echoed);
    co_await coro::Sleep(pause);
  }
  coro::ShutdownWrite(socket);  // tells the server's session we are done
  std::array<char, 16> rest;
  co_await coro::ReadSome(socket, rest);  // 0: the server closed its side too
}

coro::Task<void> Main(int clients, int messages, Duration pause) {
  coro::Socket listener = coro::ListenOnLoopback(/*port=*/0, /*backlog=*/clients);
  const int port = coro::LocalPort(listener);
  lesson::Print("server listening on 127.0.0.1:%d (port chosen by the kernel), thread %d", port,
                lesson::ThreadId());
  coro::Future<void> server = coro::CreateTask(Server(&listener, clients), "server");
  std::vector<coro::Future<void>> all_clients;
  for (int id = 0; id < clients; ++id) {
    all_clients.push_back(
        coro::CreateTask(Client(port, id, messages, pause), absl::StrFormat("client %d", id)));
  }
  co_await coro::Gather(std::move(all_clients));
  co_await server;
}

}  // namespace

int main(int argc, char** argv) {
  lesson::ParseFlags(argc, argv,
                     "One thread, non-blocking sockets and epoll: K echo clients at once.");
  lesson::RequireInRange(FLAGS_clients, 1, 1000);
  lesson::RequireInRange(FLAGS_messages, 1, 1000);
  lesson::RequireInRange(FLAGS_pause, absl::ZeroDuration(), absl::Seconds(1));
  const int clients = absl::GetFlag(FLAGS_clients);
  const int messages = absl::GetFlag(FLAGS_messages);
  const absl::Duration pause_flag = absl::GetFlag(FLAGS_pause);
  const Duration pause = absl::ToChronoNanoseconds(pause_flag);
  // Each client pauses between its messages: bound how long one client takes.
  if (pause_flag * messages > absl::Seconds(60)) {
    lesson::RejectFlag("messages", std::to_string(messages),
                       lesson::Format("with --pause=%s, each client would take %s; keep messages "
                                      "x pause under 60s",
                                      absl::FormatDuration(pause_flag),
                                      absl::FormatDuration(pause_flag * messages)));
  }

  // Each client needs two descriptors (its socket and the server's); refuse up front
  // rather than fail half-way.
  rlimit files{};
  getrlimit(RLIMIT_NOFILE, &files);
  const long needed = 2L * clients + 16;
  if (files.rlim_cur != RLIM_INFINITY && static_cast<long>(files.rlim_cur) < needed) {
    lesson::RejectFlag("clients", std::to_string(clients),
                       lesson::Format("needs %d file descriptors but this process may open "
                                      "only %d (ulimit -n)",
                                      needed, static_cast<long>(files.rlim_cur)));
  }

  lesson::Title("asyncio模块：单线程并发IO", "One thread, many connections: an echo server");
  lesson::Step("%d clients, %d messages each, %s apart; one server; one thread", clients,
               messages, absl::FormatDuration(pause_flag));
  lesson::Stopwatch watch;
  coro::Run(Main(clients, messages, pause));
  const double seconds = watch.Seconds();

  lesson::Step("What happened");
  lesson::Print("connections served: %d; open at the same time, at most: %d", stats.served,
                stats.open_most);
  lesson::Print("messages echoed back intact: %d of %d (wrong: %d)", stats.round_trips,
                clients * messages, stats.mismatches);
  lesson::Print("threads that did all this: %d (thread %d)", static_cast<int>(stats.threads.size()),
                *stats.threads.begin());
  lesson::Print("wall time: %.3f s; one client's pauses add up to %.3f s, all clients' to %.3f s",
                seconds, messages * absl::ToDoubleSeconds(pause_flag),
                clients * messages * absl::ToDoubleSeconds(pause_flag));
  lesson::Notice(coroutine::EchoConclusions({
      .clients = clients,
      .messages = messages,
      .pause_s = absl::ToDoubleSeconds(pause_flag),
      .served = stats.served,
      .open_most = stats.open_most,
      .round_trips = stats.round_trips,
      .mismatches = stats.mismatches,
      .threads = static_cast<int>(stats.threads.size()),
      .wall_s = seconds,
  }));
  return stats.mismatches == 0 && stats.served == clients ? 0 : 1;
}
