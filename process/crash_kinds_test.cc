#include "process/crash_kinds.h"

#include <signal.h>

#include "gtest/gtest.h"

namespace process {
namespace {

// A store to a PROT_NONE page kills the process with SIGSEGV, sanitizers or not.
TEST(CrashDeathTest, SegfaultNowDiesOfSigsegv) {
  EXPECT_EXIT(SegfaultNow(), testing::KilledBySignal(SIGSEGV), "");
}

// abort() kills the process with SIGABRT.
TEST(CrashDeathTest, AbortNowDiesOfSigabrt) {
  EXPECT_EXIT(AbortNow(), testing::KilledBySignal(SIGABRT), "");
}

}  // namespace
}  // namespace process
