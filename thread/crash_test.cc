#include <signal.h>

#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "thread/lesson_testing.h"

namespace {

using testing::HasSubstr;
using thread_testing::ExpectRejected;
using thread_testing::RunLesson;

// A worker that would run forever: if a crash elsewhere did not end the whole process,
// the death tests below would never finish.
void BeatForever() {
  while (true) std::this_thread::sleep_for(std::chrono::milliseconds(10));
}

// One thread aborts: the whole process dies, its healthy worker included.
TEST(CrashDeathTest, AbortInOneThreadKillsTheProcess) {
  EXPECT_EXIT(
      {
        std::jthread worker(BeatForever);
        std::jthread crasher([] { std::abort(); });
      },
      testing::KilledBySignal(SIGABRT), "");
}

// An exception escaping one thread's function does the same, through std::terminate.
TEST(CrashDeathTest, UncaughtExceptionInOneThreadKillsTheProcess) {
  EXPECT_EXIT(
      {
        std::jthread worker(BeatForever);
        std::jthread crasher([] { throw std::runtime_error("boom"); });
      },
      testing::KilledBySignal(SIGABRT), "terminate called after throwing");
}

// The lesson reports the crash from the parent: SIGABRT, and no worker finished.
TEST(CrashTest, LessonReportsTheWholeProcessDying) {
  auto r = RunLesson("crash");
  EXPECT_THAT(r.stdout_text, HasSubstr("child | worker-1: beat 1"));
  EXPECT_THAT(r.stdout_text, HasSubstr("child | crasher: dying now (abort)"));
  EXPECT_THAT(r.stdout_text, HasSubstr("was killed by signal 6"));
  EXPECT_THAT(r.stdout_text, HasSubstr("; 0 finished their work"));
  EXPECT_THAT(r.stdout_text, testing::Not(HasSubstr("finished all")));
}

TEST(CrashTest, LessonWithUncaughtException) {
  auto r = RunLesson("crash", {"--how=exception", "--crash_after=0s"});
  EXPECT_THAT(r.stdout_text,
              HasSubstr("terminate called after throwing an instance of 'std::runtime_error'"));
  EXPECT_THAT(r.stdout_text, HasSubstr("was killed by signal 6"));
}

TEST(CrashTest, RejectsBadFlags) {
  ExpectRejected("crash", "--how=segfault");
  ExpectRejected("crash", "--crash_after=2s");
}

}  // namespace
