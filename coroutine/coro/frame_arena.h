// coroutine/coro/frame_arena.h — where Task frames live: big blocks of memory, advised for
// huge pages, instead of one malloc() each.
//
// A coroutine's frame is allocated when the coroutine is called. A million sleepers are a
// million frames of about a hundred bytes: about 110 MB that the kernel hands out one
// 4 KB page at a time, each on its first touch (a page fault: about 27,000 of them). On a
// virtual machine a fault is expensive, and measured here they were a third of the run.
// So frames come from blocks the kernel is asked to back with 2 MB pages (transparent
// huge pages, madvise(MADV_HUGEPAGE)): one fault per 2 MB instead of one per 4 KB.
// //coroutine:scale measures the difference (UseHugePagesForFrames).
//
// The arena is plain: frames are rounded up to 16 bytes; a freed frame goes onto a free
// list of its size, and the next frame of that size reuses it; new frames are cut from
// the current block. The first block is small (256 KB) and not advised, so that a
// program with a few coroutines does not pay for a 2 MB page; the next blocks are 32 MB.
// Frames larger than 1 KB go to operator new. When the last frame is freed, the big
// blocks go back to the kernel.
//
// Contract: one arena per thread. A frame is freed on the thread that allocated it
// (Tasks belong to their loop's thread: see event_loop.h); debug builds check it.
#ifndef COROUTINE_CORO_FRAME_ARENA_H_
#define COROUTINE_CORO_FRAME_ARENA_H_

#include <cstddef>

namespace coro {

// Whether blocks allocated from now on (on this thread) are advised for huge pages.
// Default true. The kernel honours the advice only if transparent huge pages are
// "always" or "madvise" (/sys/kernel/mm/transparent_hugepage/enabled).
void UseHugePagesForFrames(bool use);

// What the kernel says about huge pages: "always", "madvise", "never" (the bracketed word
// of /sys/kernel/mm/transparent_hugepage/enabled), or "unknown".
const char* TransparentHugePagesMode();

namespace internal {

void* AllocateFrame(std::size_t bytes);
void FreeFrame(void* frame, std::size_t bytes) noexcept;

// Frames allocated and not yet freed on this thread.
std::size_t LiveFrames();

}  // namespace internal
}  // namespace coro

#endif  // COROUTINE_CORO_FRAME_ARENA_H_
