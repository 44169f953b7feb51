#include "process/print_order.h"

#include <sched.h>
#include <string.h>
#include <sys/mman.h>

#include <cerrno>
#include <new>

#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "common/trace.h"

namespace process {

// Lives in the MAP_SHARED page. std::atomic of int and bool is lock-free on Linux, so it
// works across processes: the atomic instruction acts on the shared physical memory.
struct PrintOrder::Shared {
  std::atomic<bool> locked{false};
  std::atomic<int> count{0};
  Line lines[kMaxLines];
};

absl::StatusOr<PrintOrder> PrintOrder::Create() {
  static_assert(std::atomic<bool>::is_always_lock_free && std::atomic<int>::is_always_lock_free);
  void* page = mmap(nullptr, sizeof(Shared), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
                    -1, 0);
  if (page == MAP_FAILED) {
    return absl::ResourceExhaustedError(absl::StrFormat("mmap: %s", strerrordesc_np(errno)));
  }
  return PrintOrder(new (page) Shared);
}

PrintOrder::~PrintOrder() {
  if (shared_ != nullptr) munmap(shared_, sizeof(Shared));
}

void PrintOrder::Lock() {
  // Held only for one write(2): spinning, and yielding the core while another process
  // holds it, is enough.
  while (shared_->locked.exchange(true, std::memory_order_acquire)) sched_yield();
}

void PrintOrder::Unlock() { shared_->locked.store(false, std::memory_order_release); }

void PrintOrder::Append(int who) {
  const int index = shared_->count.load(std::memory_order_relaxed);
  if (index >= kMaxLines) return;
  shared_->lines[index] = Line{who, trace::NowMicros()};
  shared_->count.store(index + 1, std::memory_order_release);
}

std::vector<PrintOrder::Line> PrintOrder::Lines() const {
  const int count = shared_->count.load(std::memory_order_acquire);
  return std::vector<Line>(shared_->lines, shared_->lines + count);
}

}  // namespace process
