#include "process/interrupt_testing.h"

#include <signal.h>

#include "absl/time/time.h"
#include "common/lesson_testing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace process::testing {

void ExpectInterruptedCleanly(std::string_view lesson_path, const std::vector<std::string>& flags,
                              const std::string& reached, const std::string& not_reached) {
  for (bool whole_group : {false, true}) {
    SCOPED_TRACE(whole_group ? "SIGINT to the whole process group (Ctrl-C)"
                             : "SIGINT to the lesson alone (kill -INT <pid>)");
    const lesson::ProgramResult r =
        lesson::testing::RunLesson(lesson_path, flags,
                                   {.timeout = absl::Seconds(60),
                                    .signal = SIGINT,
                                    .signal_after = absl::Seconds(1),
                                    .signal_whole_group = whole_group});
    EXPECT_EQ(r.term_signal, SIGINT) << r.stderr_text;
    EXPECT_FALSE(r.timed_out);
    EXPECT_EQ(r.leftover_processes, 0);
    EXPECT_THAT(r.stdout_text, ::testing::HasSubstr(reached));
    EXPECT_THAT(r.stdout_text, ::testing::Not(::testing::HasSubstr(not_reached)));
  }
}

}  // namespace process::testing
