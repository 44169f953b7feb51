// The frame arena: frames are counted, a freed frame's memory is reused by the next frame
// of the same size, and frames too big for it still work. (Under AddressSanitizer every
// frame is its own allocation, so reuse is not checked there.)
#include "coroutine/coro/frame_arena.h"

#include <string>
#include <vector>

#include "coroutine/coro/clock.h"
#include "coroutine/coro/event_loop.h"
#include "coroutine/coro/task.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace {

coro::Task<int> Small() { co_return 1; }

// Writes the address of the frame it runs in (an awaiter that looks at its handle and
// does not suspend).
struct WhereAmI {
  void** out;
  bool await_ready() const noexcept { return false; }
  bool await_suspend(std::coroutine_handle<> self) const noexcept {
    *out = self.address();
    return false;
  }
  void await_resume() const noexcept {}
};
coro::Task<void> Record(void** out) { co_await WhereAmI{out}; }

coro::Task<int> Big() {
  char buffer[4096] = {};
  buffer[0] = 2;
  co_return buffer[0];  // the array lives in the frame: over the arena's largest size
}

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kPooled = false;
#else
constexpr bool kPooled = true;
#endif

TEST(FrameArenaTest, CountsAndReusesFrames) {
  if (!kPooled) GTEST_SKIP() << "frames are plain allocations under AddressSanitizer";
  const std::size_t before = coro::internal::LiveFrames();
  {
    coro::Task<int> a = Small();
    EXPECT_EQ(coro::internal::LiveFrames(), before + 1);
  }
  EXPECT_EQ(coro::internal::LiveFrames(), before);
  coro::VirtualClock clock;
  coro::EventLoop loop(clock);
  void* first = nullptr;
  void* second = nullptr;
  loop.RunUntilComplete(Record(&first));
  loop.RunUntilComplete(Record(&second));
  EXPECT_EQ(first, second) << "the freed frame was not reused";
}

TEST(FrameArenaTest, ManyFramesComeBackToZero) {
  const std::size_t before = coro::internal::LiveFrames();
  {
    std::vector<coro::Task<int>> tasks;
    for (int i = 0; i < 100000; ++i) tasks.push_back(Small());  // several blocks
    if (kPooled) {
      EXPECT_EQ(coro::internal::LiveFrames(), before + 100000);
    }
  }
  EXPECT_EQ(coro::internal::LiveFrames(), before);
  coro::Task<int> again = Small();  // the arena works after giving blocks back
  EXPECT_GT(coro::LastTaskFrameSize(), 0u);
}

TEST(FrameArenaTest, BigFramesGoToOperatorNew) {
  const std::size_t before = coro::internal::LiveFrames();
  coro::Task<int> big = Big();
  EXPECT_GT(coro::LastTaskFrameSize(), 1024u);
  EXPECT_EQ(coro::internal::LiveFrames(), before);
}

TEST(FrameArenaTest, KnowsTheHugePageMode) {
  EXPECT_THAT(std::string(coro::TransparentHugePagesMode()),
              ::testing::AnyOf("always", "madvise", "never", "unknown"));
}

}  // namespace
