#include "efficiency/mpi_pingpong.h"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <system_error>
#include <thread>

#include "absl/strings/str_format.h"
#include "common/stopwatch.h"
#include "common/trace.h"
#include "efficiency/thread_errors.h"
#include "process/pipe.h"
#include "process/process.h"

namespace efficiency::mpi {
namespace {

// Calls `io` (read(2) or write(2)) until `size` bytes have passed; false at end of file or
// on an error. A large message passes in pieces of at most the pipe's capacity (64 KiB).
template <typename Io, typename Byte>
bool Fully(Io io, int fd, Byte* data, size_t size) {
  while (size > 0) {
    const ssize_t n = io(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

bool WriteFully(int fd, const char* data, size_t size) { return Fully(::write, fd, data, size); }
bool ReadFully(int fd, char* data, size_t size) { return Fully(::read, fd, data, size); }

// Tells the CPU that this is a spin-wait (x86's `pause`): the loop then takes less from a
// hyper-thread sibling and leaves it sooner when the value arrives.
inline void CpuRelax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

// Waits until `flag` holds `value` or `stop`: spins for up to 20 us (the fastest hand-over
// when each thread has a core of its own, and what MPI's shared-memory transport does),
// then yields the core on each check, so that two threads sharing one core still take
// turns instead of each spinning out its time slice. Returns what it saw.
int AwaitValue(const std::atomic<int>& flag, int value, int stop = 0) {
  lesson::Stopwatch spinning;
  bool yielding = false;
  for (int spin = 1;; ++spin) {
    const int seen = flag.load(std::memory_order_acquire);
    if (seen == value || (stop != 0 && seen == stop)) return seen;
    if (yielding) {
      std::this_thread::yield();
    } else {
      CpuRelax();
      if (spin % 64 == 0 && spinning.Seconds() > 20e-6) yielding = true;
    }
  }
}

// A write into a pipe whose reader has gone raises SIGPIPE, which would end the lesson
// without a word. While a ping-pong runs it is ignored: the write fails with EPIPE, and
// the ping-pong reports that the echo process stopped.
class IgnoreSigpipe {
 public:
  IgnoreSigpipe() {
    struct sigaction ignore {};
    ignore.sa_handler = SIG_IGN;
    ::sigaction(SIGPIPE, &ignore, &old_);
  }
  ~IgnoreSigpipe() { ::sigaction(SIGPIPE, &old_, nullptr); }

 private:
  struct sigaction old_ {};
};

std::string SpanName(int64_t bytes, int rounds) {
  return absl::StrFormat("ping-pong %s x %d", SizeName(bytes), rounds);
}

}  // namespace

void FillMessage(std::vector<char>& message) {
  const size_t salt = message.size() * 2654435761u;
  for (size_t i = 0; i < message.size(); ++i) {
    message[i] = static_cast<char>((i * 131 + salt + (i >> 8)) & 0xff);
  }
}

int WarmupRounds(int rounds) { return std::max(1, rounds / 10); }

absl::StatusOr<PingPong> PipePingPong(int64_t bytes, int rounds) {
  const size_t size = static_cast<size_t>(bytes);
  const int total = WarmupRounds(rounds) + rounds;
  IgnoreSigpipe ignore_sigpipe;
  absl::StatusOr<process::Pipe> to_echo = process::Pipe::Create();
  if (!to_echo.ok()) return to_echo.status();
  absl::StatusOr<process::Pipe> to_sender = process::Pipe::Create();
  if (!to_sender.ok()) return to_sender.status();

  // The echo: a forked child that reads each message and writes it straight back.
  process::Process echo([&]() -> int {
    trace::NameProcess("pipe echo (child)");
    to_echo->CloseWrite();
    to_sender->CloseRead();
    std::vector<char> message(size);
    trace::Span span(SpanName(bytes, rounds), trace::kIo);
    for (int r = 0; r < total; ++r) {
      if (!ReadFully(to_echo->read_fd(), message.data(), size)) return 1;
      if (!WriteFully(to_sender->write_fd(), message.data(), size)) return 2;
    }
    return 0;
  });
  if (absl::Status started = echo.Start(); !started.ok()) return started;
  to_echo->CloseRead();
  to_sender->CloseWrite();

  std::vector<char> out(size), in(size);
  FillMessage(out);
  for (char& c : in) c = static_cast<char>(~0);  // not what will come back
  bool complete = true;
  lesson::Stopwatch watch;
  {
    trace::Span span(SpanName(bytes, rounds), trace::kIo);
    for (int r = 0; r < total && complete; ++r) {
      if (r == WarmupRounds(rounds)) watch.Reset();  // the timed rounds start here
      complete = WriteFully(to_echo->write_fd(), out.data(), size) &&
                 ReadFully(to_sender->read_fd(), in.data(), size);
    }
  }
  const double seconds = watch.Seconds();
  to_echo->CloseWrite();  // the echo reads end of file, if it is still reading
  if (absl::Status joined = echo.Join(); !joined.ok()) return joined;
  if (!complete || echo.exit_code() != 0) {
    return absl::InternalError(absl::StrFormat(
        "the pipe echo process stopped before the last round trip (%s)",
        echo.exit_status()->ToString()));
  }
  return PingPong{.method = "pipe",
                  .bytes = bytes,
                  .rounds = rounds,
                  .seconds = seconds,
                  .checked = std::memcmp(in.data(), out.data(), size) == 0,
                  .hosts = ""};
}

absl::StatusOr<PingPong> ThreadPingPong(int64_t bytes, int rounds) {
  const size_t size = static_cast<size_t>(bytes);
  // The two messages live in memory both threads see. The flags say which round's
  // message is in each: writing the bytes, then storing the flag (release), makes the
  // bytes visible to the thread that loads the flag (acquire) and sees the new round.
  // kStop in `sent` ends the echo. (Each flag on a cache line of its own.)
  constexpr int kStop = -1;
  std::vector<char> to_echo(size), to_sender(size), out(size);
  FillMessage(out);
  for (char& c : to_sender) c = static_cast<char>(~0);
  alignas(64) std::atomic<int> sent{0};
  alignas(64) std::atomic<int> replied{0};
  double seconds = 0;
  try {
    std::jthread echo([&] {
      trace::NameThread("echo");
      trace::Span span(SpanName(bytes, rounds), trace::kIo);
      for (int r = 1;; ++r) {
        if (AwaitValue(sent, r, kStop) == kStop) return;
        std::memcpy(to_sender.data(), to_echo.data(), size);  // read it, answer it: one copy
        replied.store(r, std::memory_order_release);
      }
    });
    trace::Span span(SpanName(bytes, rounds), trace::kIo);
    auto round_trip = [&](int r) {
      std::memcpy(to_echo.data(), out.data(), size);  // the message: one copy
      sent.store(r, std::memory_order_release);
      AwaitValue(replied, r);  // the reply is read where it is: no copy
    };
    // A new thread starts on its creator's core; the scheduler moves it to a free one
    // within milliseconds. Until then the two take turns on one core, so the warm-up
    // lasts at least 20 ms, not only a number of rounds.
    int r = 1;
    lesson::Stopwatch warming;
    for (; r <= WarmupRounds(rounds) || warming.Seconds() < 0.02; ++r) round_trip(r);
    lesson::Stopwatch watch;
    for (const int end = r + rounds; r < end; ++r) round_trip(r);
    seconds = watch.Seconds();
    sent.store(kStop, std::memory_order_release);
  } catch (const std::system_error& error) {
    return ThreadStartError("could not start the echo thread", error);
  }
  return PingPong{.method = "threads",
                  .bytes = bytes,
                  .rounds = rounds,
                  .seconds = seconds,
                  .checked = std::memcmp(to_sender.data(), out.data(), size) == 0,
                  .hosts = ""};
}

}  // namespace efficiency::mpi
