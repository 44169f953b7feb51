#include <signal.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <string>
#include <thread>

#include "common/lesson_testing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace {

using namespace ::lesson::testing;  // RunLesson, RanCleanly, Search, HasSubstr...

// The text of one step: from its heading to the next heading or the closing notes.
std::string StepText(const std::string& out, const std::string& heading) {
  const std::string live = LiveOutput(out);
  const size_t start = live.find("--- " + heading);
  const size_t end = live.find("\n---", start + 1);
  return start == std::string::npos ? "" : live.substr(start, end - start);
}

// Without join main finishes its own lines first; with join the child ends first.
// --work=1s: the child's work outlasts main's next print by a margin no load breaks.
TEST(JoinTest, OutputOrderWithoutAndWithJoin) {
  lesson::ProgramResult r = RunLesson("thread/join", {"--work=1s"});
  ASSERT_THAT(r, RanCleanly());
  // Without join, 子线程开始 may come before or after 主线程结束; 子线程结束 comes last.
  const std::string without = StepText(r.stdout_text, "1.");
  EXPECT_THAT(without, AnyOf(HasSubstr("主线程开始\n主线程结束\n子线程开始\n子线程结束\n"
                                       "(t1's scope has ended"),
                             HasSubstr("主线程开始\n子线程开始\n主线程结束\n子线程结束\n"
                                       "(t1's scope has ended")));
  EXPECT_THAT(r.stdout_text, HasSubstr("Without join, main printed 主线程结束 while t1 was "
                                       "still working (its work lasts 1s)"));

  const std::string with = StepText(r.stdout_text, "2.");
  EXPECT_THAT(with, HasSubstr("主线程开始\n子线程开始\n子线程结束\n主线程结束\n"));
  EXPECT_THAT(r.stdout_text, HasSubstr("With join the order is fixed"));
}

// Beside the ported lines, the lesson says what CPython 3.11 prints instead.
TEST(JoinTest, SaysWherePython311Differs) {
  lesson::ProgramResult r = RunLesson("thread/join", {"--work=10ms"});
  ASSERT_THAT(r, RanCleanly());
  const std::string without = StepText(r.stdout_text, "1.");
  EXPECT_THAT(without, HasSubstr("CPython 3.11.7 ran the tutorial's no-join program 200 times"));
  EXPECT_THAT(without, HasSubstr("the tutorial's order 1"));
}

// The lesson shows, in a child process, that an unjoined std::thread aborts the program;
// and that a detached thread dies with its process before it can finish.
TEST(JoinTest, UnjoinedThreadAbortsAndDetachedThreadDies) {
  // Under ThreadSanitizer a process lingers atexit_sleep_ms (default 1000) before it
  // exits, which would let the detached thread finish; real programs exit at once.
  const char* tsan_options = std::getenv("TSAN_OPTIONS");
  setenv("TSAN_OPTIONS",
         (std::string(tsan_options ? tsan_options : "") + ":atexit_sleep_ms=0").c_str(), 1);
  lesson::ProgramResult r = RunLesson("thread/join", {"--work=1s"});
  ASSERT_THAT(r, RanCleanly());
  const std::string forgot = StepText(r.stdout_text, "3.");
  EXPECT_THAT(forgot, HasSubstr("killed by signal 6 (SIGABRT)"));
  EXPECT_THAT(forgot, HasSubstr("terminate called without an active exception"));
  const std::string jthread = StepText(r.stdout_text, "4.");
  EXPECT_THAT(jthread, HasSubstr("子线程结束"));
  const std::string detached = StepText(r.stdout_text, "5.");
  EXPECT_THAT(detached, HasSubstr("exited with status 0"));
  EXPECT_THAT(detached, HasSubstr("子线程开始"));
  EXPECT_THAT(detached, Not(HasSubstr("子线程结束")));
  EXPECT_THAT(r.stdout_text, HasSubstr("SIGABRT killed the child process"));
  EXPECT_THAT(r.stdout_text, HasSubstr("子线程结束 never appeared"));
}

// A std::thread destroyed while joinable calls std::terminate: the process aborts.
TEST(JoinDeathTest, UnjoinedStdThreadTerminates) {
  EXPECT_EXIT({ std::thread t([] {}); }, testing::KilledBySignal(SIGABRT),
              "terminate called without an active exception");
}

// A std::jthread joins in its destructor: after its scope the work is done.
TEST(JoinTest, JthreadJoinsItself) {
  std::atomic<bool> done = false;
  {
    std::jthread t([&] {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      done = true;
    });
  }
  EXPECT_TRUE(done);
}

TEST(JoinTest, RejectsBadFlags) {
  ExpectRejected("thread/join", "--work=0s");
  ExpectRejected("thread/join", "--work=1h");
  ExpectRejected("thread/join", "--work=soon");
  ExpectRejected("thread/join", "--work=100");  // A duration needs a unit.
}

}  // namespace
