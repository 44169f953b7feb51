// What fails loudly: using a loop from the wrong thread, or with no loop at all.
#include <chrono>
#include <thread>

#include "coroutine/coro/event_loop.h"
#include "coroutine/coro/task.h"
#include "gtest/gtest.h"

namespace {

using namespace std::chrono_literals;

coro::Task<void> Nap() { co_await coro::Sleep(1ms); }

// An EventLoop is single-threaded by design; debug builds abort on a call from another
// thread, naming both threads.
TEST(EventLoopDeathTest, CallFromAnotherThreadAborts) {
#ifdef NDEBUG
  GTEST_SKIP() << "the thread check is compiled in debug builds only";
#else
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(
      {
        coro::EventLoop loop;
        std::thread other([&] { (void)loop.CreateTask(Nap()); });
        other.join();
      },
      "EventLoop::CreateTask: called from thread .* but this EventLoop belongs to thread");
#endif
}

// The asyncio-style free functions need a loop on the calling thread.
TEST(EventLoopDeathTest, NoLoopOnThisThreadAborts) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH((void)coro::CreateTask(Nap()), "coro::CreateTask: no EventLoop on this thread");
}

}  // namespace
