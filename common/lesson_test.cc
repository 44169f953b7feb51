#include "common/lesson.h"

#include <errno.h>
#include <unistd.h>

#include <thread>

#include "common/i18n.h"
#include "common/stopwatch.h"
#include "gtest/gtest.h"

namespace {

// Each printed line arrives whole, followed by a newline, in call order.
TEST(LessonTest, PrintWritesWholeLines) {
  lesson::SetLanguage(lesson::Language::kEnglish);
  testing::internal::CaptureStdout();
  lesson::Title("线程锁", "Thread locks");
  lesson::Print("%d threads, %s", 2, "no lock");
  lesson::Notice({lesson::Verbatim("first"), lesson::Verbatim("second")});
  std::string out = testing::internal::GetCapturedStdout();
  EXPECT_NE(out.find("线程锁  (Thread locks)\n"), std::string::npos);
  EXPECT_NE(out.find("2 threads, no lock\n"), std::string::npos);
  EXPECT_NE(out.find("What to notice:\n"), std::string::npos);
  EXPECT_LT(out.find("first"), out.find("second"));
}

// In Chinese the banner shows the tutorial's title alone and the catalog's sentences;
// the tutorial's own lines stay as the tutorial has them.
TEST(LessonTest, ChineseUsesTheCatalog) {
  lesson::SetLanguage(lesson::Language::kChinese);
  testing::internal::CaptureStdout();
  lesson::Title("线程锁", "Thread locks");
  lesson::Tutorial("我是主进程，PID是%s", "42");
  lesson::Notice({lesson::Verbatim("x")});
  std::string out = testing::internal::GetCapturedStdout();
  lesson::SetLanguage(lesson::Language::kEnglish);
  EXPECT_NE(out.find("\n线程锁\n"), std::string::npos) << out;
  EXPECT_EQ(out.find("Thread locks"), std::string::npos) << out;
  EXPECT_NE(out.find("我是主进程，PID是42\n"), std::string::npos) << out;
  EXPECT_NE(out.find("要点："), std::string::npos) << out;
}

// A translation whose conversions do not fit the arguments falls back to the English
// format, whole, instead of printing garbage.
TEST(LessonTest, MalformedTranslationFallsBackToEnglish) {
  const auto fill = [](const char* translated) {
    return lesson::message_internal::FillTranslation("%d of %d runs", translated,
                                                     {absl::FormatArg(3), absl::FormatArg(10)});
  };
  EXPECT_EQ(fill("%d 次中有 %d 次"), "3 次中有 10 次");
  EXPECT_EQ(fill("%2$d 次中有 %1$d 次"), "10 次中有 3 次");  // positional: word order may change
  EXPECT_EQ(fill("%s 次中有 %d 次"), "3 of 10 runs");      // %s for an int: refused
  EXPECT_EQ(fill("%d 次"), "3 of 10 runs");                // an argument dropped: refused
  EXPECT_EQ(fill("%d %d %d"), "3 of 10 runs");             // one too many
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
  EXPECT_GT(watch.Seconds(), 0.0);  // at least the 10 ms of CPU just spent
  EXPECT_GE(lesson::ProcessCpuSeconds(), lesson::ThreadCpuSeconds() - 1e-3);
}

}  // namespace
