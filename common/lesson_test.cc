#include "common/lesson.h"

#include <errno.h>
#include <unistd.h>

#include <thread>

#include "common/stopwatch.h"
#include "gtest/gtest.h"

namespace {

// Each printed line arrives whole, followed by a newline, in call order.
TEST(LessonTest, PrintWritesWholeLines) {
  testing::internal::CaptureStdout();
  lesson::Title("线程锁", "Thread locks");
  lesson::Print("%d threads, %s", 2, "no lock");
  lesson::Notice({"first", "second"});
  std::string out = testing::internal::GetCapturedStdout();
  EXPECT_NE(out.find("线程锁  (Thread locks)\n"), std::string::npos);
  EXPECT_NE(out.find("2 threads, no lock\n"), std::string::npos);
  EXPECT_LT(out.find("first"), out.find("second"));
}

// An error is one line on stderr, prefixed with the program's name, and nothing on stdout.
TEST(LessonTest, PrintErrorWritesOneLineToStderr) {
  testing::internal::CaptureStdout();
  testing::internal::CaptureStderr();
  lesson::PrintError("fork failed: %s", "EAGAIN");
  std::string err = testing::internal::GetCapturedStderr();
  EXPECT_EQ(testing::internal::GetCapturedStdout(), "");
  EXPECT_EQ(err, std::string(program_invocation_short_name) + ": fork failed: EAGAIN\n");
}

// The main thread's kernel id is the process id; another thread's is different.
TEST(LessonTest, ThreadIdIsTheKernelsId) {
  EXPECT_EQ(lesson::ThreadId(), static_cast<long>(getpid()));
  long other = 0;
  std::thread([&] { other = lesson::ThreadId(); }).join();
  EXPECT_NE(other, static_cast<long>(getpid()));
}

// The stopwatch only moves forward, and a busy thread accumulates CPU time.
TEST(StopwatchTest, MeasuresWallAndCpu) {
  lesson::Stopwatch watch;
  double cpu_before = lesson::ThreadCpuSeconds();
  volatile unsigned sink = 0;
  while (lesson::ThreadCpuSeconds() - cpu_before < 0.01) sink = sink + 1;
  EXPECT_GE(watch.Seconds(), 0.0);
  EXPECT_GE(lesson::ProcessCpuSeconds(), lesson::ThreadCpuSeconds() - 1e-3);
}

}  // namespace
