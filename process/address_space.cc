// process/address_space.cc — 进程属性: 独立的地址空间，数据通信不方便 (separate address spaces)
//
// Ports 进程属性: "每个进程都有自己的地址空间" and its cost, "数据通信不方便". A child
// increments a global variable; the parent, reading the same variable at the same address
// after the child has finished, still sees 0. The child's result has to be sent back
// explicitly: here through a pipe, the way Python's multiprocessing Pipe and Queue do it
// underneath. Last, a page mapped MAP_SHARED before the fork is memory both really
// share: sharing between processes is possible, but only when asked for.
//
// How C++ differs: nothing Python-specific. fork() gives the child a copy-on-write copy
// of the parent's memory: both see the same virtual addresses, and the first write to a
// page gives the writer its own physical copy of it.
//
//   bazel run //process:address_space
//   bazel run //process:address_space -- --increments=5000000
#include <sys/mman.h>
#include <unistd.h>

#include <atomic>
#include <charconv>
#include <new>
#include <string>

#include "absl/flags/flag.h"
#include "absl/strings/str_format.h"
#include "common/flags.h"
#include "common/lesson.h"
#include "common/trace.h"
#include "process/conclusions.h"
#include "process/describe.h"
#include "process/interrupt_guard.h"
#include "process/pipe.h"
#include "process/process.h"

ABSL_FLAG(int64_t, increments, 1000000, "how many times the child adds 1 to the counter");

namespace {

long g_counter = 0;  // The global the child changes.

// The child's work: count up in its own copy of g_counter. (The optimiser may fold the
// loop into one addition; what matters is where the result is written.)
void CountUp(int64_t increments) {
  trace::Span span("g_counter += 1, many times");
  for (int64_t i = 0; i < increments; ++i) g_counter = g_counter + 1;
}

// Starts `child`, waits for it, and checks that it exited with 0.
absl::Status RunChild(process::Process child) {
  absl::Status status = child.Start();
  if (status.ok()) status = child.Join();
  if (status.ok() && child.exit_code() != 0) {
    status = absl::InternalError("child " + child.exit_status()->ToString());
  }
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  lesson::ParseFlags(argc, argv, "A child's writes stay in the child; send results back.");
  lesson::RequireInRange(FLAGS_increments, int64_t{1}, int64_t{1'000'000'000});
  const int64_t increments = absl::GetFlag(FLAGS_increments);
  process::InterruptGuard guard;  // Ctrl-C stops the child too (interrupt_guard.h).

  lesson::Title("进程属性：独立的地址空间", "Process properties: separate address spaces");
  process::AddressSpaceObservation seen;
  seen.increments = increments;
  seen.address = absl::StrFormat("%p", static_cast<void*>(&g_counter));

  lesson::Step("A child adds 1 to a global, many times");
  lesson::Print("  parent (PID %d): g_counter = %d at %p", getpid(), g_counter,
                static_cast<void*>(&g_counter));
  process::Process counter([increments] {
    CountUp(increments);
    lesson::Print("  child  (PID %d): g_counter = %d at %p", getpid(), g_counter,
                  static_cast<void*>(&g_counter));
  });
  counter.set_name("child counting");
  if (absl::Status s = RunChild(std::move(counter)); !s.ok()) return process::Fail(s);
  seen.parent_after_join = g_counter;
  lesson::Print("  parent (PID %d): g_counter = %d at %p   <- after join: unchanged", getpid(),
                g_counter, static_cast<void*>(&g_counter));

  lesson::Step("Data exchange: the child sends its result through a pipe");
  absl::StatusOr<process::Pipe> pipe = process::Pipe::Create();
  if (!pipe.ok()) return process::Fail(pipe.status());
  process::Process sender([&pipe, increments] {
    pipe->CloseRead();
    CountUp(increments);
    const std::string message = absl::StrFormat("%d", g_counter);
    lesson::Print("  child  (PID %d): g_counter = %d; writing \"%s\" into the pipe", getpid(),
                  g_counter, message);
    return pipe->WriteAll(message).ok() ? 0 : 1;
  });
  sender.set_name("child sending");
  if (absl::Status s = sender.Start(); !s.ok()) return process::Fail(s);
  pipe->CloseWrite();
  absl::StatusOr<std::string> received = pipe->ReadAll();  // Until the child's end closes.
  if (absl::Status s = sender.Join(); !s.ok()) return process::Fail(s);
  if (!received.ok()) return process::Fail(received.status());
  long value = 0;
  std::from_chars(received->data(), received->data() + received->size(), value);
  g_counter = value;
  seen.received = value;
  seen.received_bytes = static_cast<int>(received->size());
  lesson::Print("  parent (PID %d): read \"%s\" (%d bytes); g_counter = %d now", getpid(),
                *received, received->size(), g_counter);

  lesson::Step("Sharing on purpose: a page mapped MAP_SHARED before the fork");
  void* page = mmap(nullptr, sizeof(std::atomic<long>), PROT_READ | PROT_WRITE,
                    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (page == MAP_FAILED) return process::Fail(absl::InternalError("mmap failed"));
  auto* shared = new (page) std::atomic<long>(0);
  lesson::Print("  parent: shared counter = %d at %p", shared->load(), page);
  process::Process sharer([shared, increments] {
    trace::Span span("shared += 1, many times (atomic)");
    for (int64_t i = 0; i < increments; ++i) shared->fetch_add(1, std::memory_order_relaxed);
    lesson::Print("  child  (PID %d): shared counter = %d", getpid(), shared->load());
  });
  sharer.set_name("child sharing a page");
  if (absl::Status s = RunChild(std::move(sharer)); !s.ok()) return process::Fail(s);
  seen.shared_after_join = shared->load();
  lesson::Print("  parent: shared counter = %d   <- the child's work, seen directly",
                seen.shared_after_join);
  munmap(page, sizeof(std::atomic<long>));

  lesson::Notice(process::AddressSpacePoints(seen));
  return 0;
}
