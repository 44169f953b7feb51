#include "thread/thread_registry.h"

#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <functional>
#include <latch>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace {

using threading::ActiveCount;
using threading::CurrentThread;
using threading::Enumerate;
using threading::Thread;

// Polls `done` until it holds or `limit` passes; a bound no loaded machine reaches.
bool Eventually(const std::function<bool()>& done,
                std::chrono::seconds limit = std::chrono::seconds(30)) {
  const auto give_up = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() > give_up) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

// With no threading::Thread running, only the main thread is counted and listed.
TEST(ThreadRegistryTest, MainThreadAlone) {
  EXPECT_EQ(ActiveCount(), 1);
  auto threads = Enumerate();
  ASSERT_EQ(threads.size(), 1u);
  EXPECT_EQ(threads[0].name, "MainThread");
  EXPECT_TRUE(threads[0].is_main);
  EXPECT_EQ(threads[0].tid, static_cast<long>(getpid()));
  EXPECT_EQ(CurrentThread().name, "MainThread");
}

// Live threads are counted from construction and listed in start order with their names.
TEST(ThreadRegistryTest, CountsAndListsLiveThreads) {
  std::latch release(1);
  {
    Thread a("alpha", [&] { release.wait(); });
    EXPECT_EQ(ActiveCount(), 2);  // Counted as soon as the constructor returns.
    Thread b("beta", [&] { release.wait(); });
    Thread c("gamma", [&] { release.wait(); });
    EXPECT_EQ(ActiveCount(), 4);
    auto threads = Enumerate();
    ASSERT_EQ(threads.size(), 4u);
    EXPECT_EQ(threads[0].name, "MainThread");
    EXPECT_EQ(threads[1].name, "alpha");
    EXPECT_EQ(threads[2].name, "beta");
    EXPECT_EQ(threads[3].name, "gamma");
    EXPECT_EQ(threads[1].tid, a.tid());
    EXPECT_FALSE(threads[1].is_main);
    release.count_down();
  }  // The destructors join.
  EXPECT_EQ(ActiveCount(), 1);
}

// As in Python, a thread stops counting when its function returns, even before join.
TEST(ThreadRegistryTest, StopsCountingWhenFunctionReturns) {
  Thread quick("quick", [] {});
  EXPECT_TRUE(Eventually([] { return ActiveCount() == 1; }));
  EXPECT_TRUE(quick.joinable());
  quick.Join();
  EXPECT_FALSE(quick.joinable());
}

// Inside a thread, CurrentThread() is that thread: its name and kernel id.
TEST(ThreadRegistryTest, CurrentThreadInsideThread) {
  threading::ThreadInfo seen;
  Thread t("worker-7", [&] { seen = CurrentThread(); });
  t.Join();
  EXPECT_EQ(seen.name, "worker-7");
  EXPECT_EQ(seen.tid, t.tid());
  EXPECT_NE(seen.tid, static_cast<long>(getpid()));
  EXPECT_FALSE(seen.is_main);
}

// Unnamed threads get Python's default names, Thread-<n>, with n increasing.
TEST(ThreadRegistryTest, DefaultNames) {
  Thread first("", [] {});
  Thread second("", [] {});
  EXPECT_EQ(first.name().rfind("Thread-", 0), 0u);
  EXPECT_EQ(second.name().rfind("Thread-", 0), 0u);
  EXPECT_LT(std::stoi(first.name().substr(7)), std::stoi(second.name().substr(7)));
}

// A plain std::thread is unknown until it asks who it is; then, as in Python 3.11, it is
// Dummy-<n>, numbered by the counter Thread-<n> uses, and counted while it lives.
TEST(ThreadRegistryTest, PlainStdThreadIsADummy) {
  Thread before("", [] {});
  before.Join();
  const int before_number = std::stoi(before.name().substr(7));
  threading::ThreadInfo first, again;
  int count_before_asking = 0, count_after_asking = 0;
  std::vector<std::string> listed;
  std::thread t([&] {
    count_before_asking = ActiveCount();
    first = CurrentThread();
    again = CurrentThread();
    count_after_asking = ActiveCount();
    for (const auto& info : Enumerate()) listed.push_back(info.name);
  });
  t.join();
  EXPECT_EQ(first.name, "Dummy-" + std::to_string(before_number + 1));
  EXPECT_EQ(again.name, first.name) << "a dummy keeps its name";
  EXPECT_EQ(first.tid, again.tid);
  EXPECT_FALSE(first.is_main);
  EXPECT_EQ(count_before_asking, 1);
  EXPECT_EQ(count_after_asking, 2);
  EXPECT_THAT(listed, testing::ElementsAre("MainThread", first.name));
  // The next default name continues the same counter, as Python's does.
  Thread after("", [] {});
  EXPECT_EQ(after.name(), "Thread-" + std::to_string(before_number + 2));
}

// Unlike Python, which counts a dummy forever, the registry forgets it when it ends.
TEST(ThreadRegistryTest, DummyIsForgottenWhenItEnds) {
  std::thread([] { CurrentThread(); }).join();
  EXPECT_EQ(ActiveCount(), 1);
  EXPECT_EQ(Enumerate().size(), 1u);
}

// The kernel knows the thread by its name (cut to 15 bytes), as `top -H` would show it.
TEST(ThreadRegistryTest, KernelThreadName) {
  std::latch release(1);
  Thread t("a-rather-long-thread-name", [&] { release.wait(); });
  std::ifstream comm("/proc/self/task/" + std::to_string(t.tid()) + "/comm");
  std::string name;
  std::getline(comm, name);
  release.count_down();
  EXPECT_EQ(name, "a-rather-long-t");
}

// Arguments are copied like std::thread's; std::ref shares, std::move hands over.
TEST(ThreadRegistryTest, ArgumentsLikeStdThread) {
  int shared = 0;
  auto owned = std::make_unique<int>(42);
  int received = 0;
  Thread t(
      "args",
      [&received](int copy, int& ref, std::unique_ptr<int> moved) {
        ref = copy + 1;
        received = *moved;
      },
      5, std::ref(shared), std::move(owned));
  t.Join();
  EXPECT_EQ(shared, 6);
  EXPECT_EQ(received, 42);
  EXPECT_EQ(owned, nullptr);
}

// After fork() the child has one thread; the registry forgets the parent's others. The
// child checks what it sees and reports in words through a pipe: "" means all held.
TEST(ThreadRegistryTest, ForkedChildCountsOnlyItself) {
  std::latch release(1);
  Thread t("parent-only", [&] { release.wait(); });
  ASSERT_EQ(ActiveCount(), 2);
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    std::string problems;
    if (ActiveCount() != 1) problems += "ActiveCount() = " + std::to_string(ActiveCount()) + "; ";
    if (Enumerate().size() != 1) problems += "Enumerate() lists " + std::to_string(Enumerate().size()) + "; ";
    if (CurrentThread().name != "MainThread") problems += "CurrentThread() is " + CurrentThread().name;
    (void)!write(fds[1], problems.data(), problems.size());
    _exit(0);
  }
  ASSERT_GT(pid, 0);
  close(fds[1]);
  std::string report;
  char buffer[256];
  ssize_t n;
  while ((n = read(fds[0], buffer, sizeof buffer)) > 0) report.append(buffer, n);
  close(fds[0]);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  release.count_down();
  EXPECT_EQ(report, "") << "in the forked child";
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "the child did not finish";
  t.Join();
  EXPECT_EQ(ActiveCount(), 1);
}

}  // namespace
