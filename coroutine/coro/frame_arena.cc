#include "coroutine/coro/frame_arena.h"

#include <sys/mman.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <new>
#include <string>
#include <utility>
#include <vector>

namespace coro {
namespace {

constexpr std::size_t kGranule = 16;               // frames are rounded up to this
constexpr std::size_t kLargestPooled = 1024;       // bigger frames: operator new
constexpr std::size_t kFirstBlock = 256 * 1024;    // small, not advised
constexpr std::size_t kBigBlock = 32 * 1024 * 1024;
constexpr std::size_t kHugePage = 2 * 1024 * 1024;

struct FreeFrame {
  FreeFrame* next;
};

struct Block {
  char* start;
  std::size_t size;
};

class Arena {
 public:
  ~Arena() {
    // Frames still alive belong to someone else now (a leak, or a frame moved to
    // another thread against the contract): leave their memory mapped.
    if (live_ == 0) Release(/*keep_first=*/false);
  }

  void* Allocate(std::size_t bytes) {
    const std::size_t rounded = (bytes + kGranule - 1) / kGranule * kGranule;
    FreeFrame*& list = free_[rounded / kGranule];
    ++live_;
    if (list != nullptr) return std::exchange(list, list->next);
    if (static_cast<std::size_t>(end_ - cursor_) < rounded) NewBlock();
    return std::exchange(cursor_, cursor_ + rounded);
  }

  void Free(void* frame, std::size_t bytes) {
    const std::size_t rounded = (bytes + kGranule - 1) / kGranule * kGranule;
#ifndef NDEBUG
    if (!Owns(frame)) {
      std::fputs("coro: a Task frame was freed on a thread other than the one that created it "
                 "(Tasks belong to one thread: see coroutine/coro/event_loop.h)\n", stderr);
      std::abort();
    }
#endif
    auto* node = static_cast<FreeFrame*>(frame);
    node->next = free_[rounded / kGranule];
    free_[rounded / kGranule] = node;
    if (--live_ == 0 && blocks_.size() > 1) Release(/*keep_first=*/true);
  }

  std::size_t live() const { return live_; }
  bool huge_pages = true;

 private:
  void NewBlock() {
    const bool first = blocks_.empty();
    const std::size_t size = first ? kFirstBlock : kBigBlock;
    // Map a little more, so that the block can start on a 2 MB boundary: a huge page
    // backs only whole, aligned 2 MB ranges.
    const std::size_t mapped = first ? size : size + kHugePage;
    void* raw = ::mmap(nullptr, mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                       -1, 0);
    if (raw == MAP_FAILED) throw std::bad_alloc();
    char* start = static_cast<char*>(raw);
    if (!first) {
      const auto address = reinterpret_cast<std::uintptr_t>(start);
      char* aligned = start + ((kHugePage - address % kHugePage) % kHugePage);
      if (aligned > start) ::munmap(start, static_cast<std::size_t>(aligned - start));
      const std::size_t tail = static_cast<std::size_t>((start + mapped) - (aligned + size));
      if (tail > 0) ::munmap(aligned + size, tail);
      start = aligned;
      if (huge_pages) (void)::madvise(start, size, MADV_HUGEPAGE);  // advice: may be ignored
    }
    blocks_.push_back({start, size});
    cursor_ = start;
    end_ = start + size;
  }

  // Every frame is free: give the blocks back (all but the first, if asked), and forget
  // the free lists, which point into them.
  void Release(bool keep_first) {
    free_.fill(nullptr);
    for (std::size_t i = keep_first ? 1 : 0; i < blocks_.size(); ++i) {
      ::munmap(blocks_[i].start, blocks_[i].size);
    }
    blocks_.resize(keep_first && !blocks_.empty() ? 1 : 0);
    if (blocks_.empty()) {
      cursor_ = end_ = nullptr;
    } else {
      cursor_ = blocks_[0].start;
      end_ = blocks_[0].start + blocks_[0].size;
    }
  }

  bool Owns(const void* frame) const {
    const char* p = static_cast<const char*>(frame);
    for (const Block& b : blocks_) {
      if (p >= b.start && p < b.start + b.size) return true;
    }
    return false;
  }

  std::array<FreeFrame*, kLargestPooled / kGranule + 1> free_{};
  std::vector<Block> blocks_;
  char* cursor_ = nullptr;
  char* end_ = nullptr;
  std::size_t live_ = 0;
};

Arena& ThisThreadsArena() {
  thread_local Arena arena;
  return arena;
}

}  // namespace

void UseHugePagesForFrames(bool use) { ThisThreadsArena().huge_pages = use; }

const char* TransparentHugePagesMode() {
  std::ifstream file("/sys/kernel/mm/transparent_hugepage/enabled");
  std::string line;
  if (!std::getline(file, line)) return "unknown";
  for (const char* mode : {"always", "madvise", "never"}) {
    if (line.find(std::string("[") + mode + "]") != std::string::npos) return mode;
  }
  return "unknown";
}

namespace internal {

// Under AddressSanitizer every frame is its own allocation, so that a use of a destroyed
// frame is caught instead of landing in a recycled one.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kPassThrough = true;
#else
constexpr bool kPassThrough = false;
#endif

void* AllocateFrame(std::size_t bytes) {
  if (kPassThrough || bytes > kLargestPooled) return ::operator new(bytes);
  return ThisThreadsArena().Allocate(bytes);
}

void FreeFrame(void* frame, std::size_t bytes) noexcept {
  if (kPassThrough || bytes > kLargestPooled) {
    ::operator delete(frame);
    return;
  }
  ThisThreadsArena().Free(frame, bytes);
}

std::size_t LiveFrames() { return ThisThreadsArena().live(); }

}  // namespace internal
}  // namespace coro
