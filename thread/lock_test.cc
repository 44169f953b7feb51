#include <string>
#include <vector>

#include "common/lesson_testing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace {

using namespace ::lesson::testing;  // RunLesson, RanCleanly, Search, HasSubstr...

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
    lesson::ProgramResult r = RunLesson(
        "thread/lock", {"--lock=none", "--runs=20", std::string("--iterations=") + iterations});
    ASSERT_THAT(r, RanCleanly());
    std::vector<int> lost = LostRunCounts(r.stdout_text, 20);
    ASSERT_EQ(lost.size(), 1u) << r.stdout_text;
    if (lost[0] >= 1) return;
    last_output = r.stdout_text;
  }
  ADD_FAILURE() << "no lost update in 20 unlocked runs of 1e8 iterations:\n" << last_output;
}

// With std::mutex, absl::Mutex or the atomic, the result is 0 in every run.
TEST(LockTest, LocksAndAtomicAlwaysGiveZero) {
  lesson::ProgramResult r = RunLesson("thread/lock", {"--runs=20", "--iterations=100000"});
  ASSERT_THAT(r, RanCleanly());
  std::vector<int> lost = LostRunCounts(r.stdout_text, 20);
  ASSERT_EQ(lost.size(), 4u) << r.stdout_text;  // none, std::mutex, absl::Mutex, atomic
  EXPECT_EQ(lost[1], 0) << "std::mutex";
  EXPECT_EQ(lost[2], 0) << "absl::Mutex";
  EXPECT_EQ(lost[3], 0) << "std::atomic";
}

// The forced interleaving loses t1's update the same way every time: num is exactly 2.
TEST(LockTest, ForcedInterleavingLosesExactlyOneUpdate) {
  lesson::ProgramResult r = RunLesson("thread/lock", {"--interleave=forced"});
  ASSERT_THAT(r, RanCleanly());
  EXPECT_THAT(r.stdout_text,
              HasSubstr("step 1  t1 reads  num -> 0\n"
                        "step 2  t2 reads  num -> 0\n"
                        "step 3  t1 writes num = 0 + 1 = 1\n"
                        "step 4  t2 writes num = 0 + 2 = 2   (t1's write is overwritten)\n"
                        "result: num = 2; expected 0 + 1 + 2 = 3: t1's update is lost\n"));
}

// Nonsensical flags: one line naming the flag and its range, exit status 2.
TEST(LockTest, RejectsBadFlags) {
  ExpectRejected("thread/lock", "--runs=0");
  ExpectRejected("thread/lock", "--iterations=-5");
  ExpectRejected("thread/lock", "--interleave=sometimes");
  ExpectRejected("thread/lock", "--lock=spinlock");
}

}  // namespace
