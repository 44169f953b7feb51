#include <string>
#include <vector>

#include "common/run_program.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "thread/lesson_testing.h"

namespace {

using lesson::RunfilePath;
using lesson::RunProgram;
using thread_testing::Groups;
using thread_testing::SearchAll;

// The "runs with lost updates: X of N" counts, in the order the lesson prints them.
std::vector<int> LostRunCounts(const std::string& out, int runs) {
  std::vector<int> counts;
  for (const Groups& line :
       SearchAll(out, "runs with lost updates: (\\d+) of " + std::to_string(runs))) {
    counts.push_back(std::stoi(line[1]));
  }
  return counts;
}

// Without a lock, updates are lost — when the two threads really overlap. On a loaded
// machine they may share one core, and then an update is lost only if the scheduler
// switches threads between a load and its store: each run must last many time slices.
// How long a million iterations take depends on the build (about 3 ms at -O1, 40 ms at
// -O0), so the test grows the work tenfold until a run loses updates: 20 runs of 1e8
// iterations without a single lost update do not happen.
TEST(LockTest, LostUpdatesWithoutALock) {
  std::string last_output;
  for (const char* iterations : {"1000000", "10000000", "100000000"}) {
    auto r = RunProgram({RunfilePath("thread/lock"), "--lock=none", "--runs=20",
                         std::string("--iterations=") + iterations});
    ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
    EXPECT_EQ(r.leftover_processes, 0);
    std::vector<int> lost = LostRunCounts(r.stdout_text, 20);
    ASSERT_EQ(lost.size(), 1u) << r.stdout_text;
    if (lost[0] >= 1) return;
    last_output = r.stdout_text;
  }
  ADD_FAILURE() << "no lost update in 20 unlocked runs of 1e8 iterations:\n" << last_output;
}

// With std::mutex, absl::Mutex or the atomic, the result is 0 in every run.
TEST(LockTest, LocksAndAtomicAlwaysGiveZero) {
  auto r = RunProgram({RunfilePath("thread/lock"), "--runs=20", "--iterations=100000"});
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  EXPECT_EQ(r.leftover_processes, 0);
  std::vector<int> lost = LostRunCounts(r.stdout_text, 20);
  ASSERT_EQ(lost.size(), 4u) << r.stdout_text;  // none, std::mutex, absl::Mutex, atomic
  EXPECT_EQ(lost[1], 0) << "std::mutex";
  EXPECT_EQ(lost[2], 0) << "absl::Mutex";
  EXPECT_EQ(lost[3], 0) << "std::atomic";
}

// The forced interleaving loses t1's update the same way every time: num is exactly 2.
TEST(LockTest, ForcedInterleavingLosesExactlyOneUpdate) {
  auto r = RunProgram({RunfilePath("thread/lock"), "--interleave=forced"});
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  const std::string& out = r.stdout_text;
  const std::vector<std::string> steps = {
      "step 1  t1 reads  num -> 0\n",
      "step 2  t2 reads  num -> 0\n",
      "step 3  t1 writes num = 0 + 1 = 1\n",
      "step 4  t2 writes num = 0 + 2 = 2   (t1's write is overwritten)\n",
      "result: num = 2; expected 0 + 1 + 2 = 3: t1's update is lost\n",
  };
  size_t at = 0;
  for (const std::string& step : steps) {
    size_t found = out.find(step, at);
    ASSERT_NE(found, std::string::npos) << "missing or out of order: " << step << out;
    at = found + step.size();
  }
}

// Nonsensical flags: one line naming the flag and its range, exit status 2.
TEST(LockTest, RejectsBadFlags) {
  thread_testing::ExpectRejected("lock", "--runs=0");
  thread_testing::ExpectRejected("lock", "--iterations=-5");
  thread_testing::ExpectRejected("lock", "--interleave=sometimes");
  thread_testing::ExpectRejected("lock", "--lock=spinlock");
}

}  // namespace
