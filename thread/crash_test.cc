#include <signal.h>

#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>

#include "common/lesson_testing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "thread/trace_testing.h"

namespace {

using namespace ::lesson::testing;  // RunLesson, RanCleanly, Search, HasSubstr...
using ::testing::KilledBySignal;

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
      KilledBySignal(SIGABRT), "");
}

// An exception escaping one thread's function does the same, through std::terminate.
TEST(CrashDeathTest, UncaughtExceptionInOneThreadKillsTheProcess) {
  EXPECT_EXIT(
      {
        std::jthread worker(BeatForever);
        std::jthread crasher([] { throw std::runtime_error("boom"); });
      },
      KilledBySignal(SIGABRT), "terminate called after throwing");
}

// The lesson reports the crash from the parent: SIGABRT, and no worker finished.
TEST(CrashTest, LessonReportsTheWholeProcessDying) {
  lesson::ProgramResult r = RunLesson("thread/crash");
  ASSERT_THAT(r, RanCleanly());
  EXPECT_THAT(r.stdout_text, HasSubstr("child process | worker-1: beat 1"));
  EXPECT_THAT(r.stdout_text, HasSubstr("child process | crasher: dying now (abort)"));
  EXPECT_THAT(r.stdout_text, HasSubstr("was killed by signal 6 (SIGABRT)"));
  EXPECT_THAT(r.stdout_text, HasSubstr("; 0 finished their work"));
  EXPECT_THAT(r.stdout_text, Not(HasSubstr("finished all")));
  EXPECT_THAT(r.stdout_text, HasSubstr("Only the crasher did anything wrong, yet both healthy "
                                       "workers stopped mid-beat"));
}

// The beats are counted through their own pipe, so the count holds in Chinese too.
TEST(CrashTest, BeatsCountedInEveryLanguage) {
  lesson::ProgramResult r = RunLesson("thread/crash", {"--lang=zh", "--crash_after=120ms"});
  ASSERT_THAT(r, RanCleanly());
  const Groups beats = Search(r.stdout_text, "([0-9]+) 次（计划 80 次）");
  ASSERT_FALSE(beats.empty()) << r.stdout_text;
  EXPECT_GT(std::stoi(beats[1]), 0);
}

// The timeline: the crasher's last act, in the child process, and the parent seeing the
// child end.
TEST(CrashTest, TraceShowsTheCrashAndTheEnd) {
  lesson_trace::Trace trace = lesson_trace::RunTraced("thread/crash", {"--crash_after=60ms"});
  EXPECT_EQ(lesson_trace::CountInstants(trace, "std::abort()", "crasher"), 1);
  bool workers_beat = false;
  for (const lesson_trace::Span& s : trace.spans) {
    if (s.thread == "worker-1" && s.state == "sleep") workers_beat = true;
  }
  EXPECT_TRUE(workers_beat) << "worker-1's beating, closed when the parent reaped the child";
}

TEST(CrashTest, LessonWithUncaughtException) {
  lesson::ProgramResult r = RunLesson("thread/crash", {"--how=exception", "--crash_after=0s"});
  ASSERT_THAT(r, RanCleanly());
  // libstdc++ writes its last words in several pieces, and a worker's line can land
  // between them: look for the pieces, not the whole sentence.
  EXPECT_THAT(r.stdout_text, HasSubstr("terminate called after throwing an instance of '"));
  EXPECT_THAT(r.stdout_text, HasSubstr("std::runtime_error'"));
  EXPECT_THAT(r.stdout_text, HasSubstr("what():  nobody catches this"));
  EXPECT_THAT(r.stdout_text, HasSubstr("was killed by signal 6"));
}

TEST(CrashTest, RejectsBadFlags) {
  ExpectRejected("thread/crash", "--how=segfault");
  ExpectRejected("thread/crash", "--crash_after=2s");
}

}  // namespace
