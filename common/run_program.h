// common/run_program.h — run a built program as a user would, for tests. (testonly)
//
// A lesson's behaviour is what its binary does: its output, its exit status, the
// processes it leaves. Tests run the real binary through RunProgram and assert on that.
//
//   lesson::ProgramResult r = lesson::RunProgram({lesson::RunfilePath("thread/lock")});
//   EXPECT_EQ(r.exit_code, 0);
//   EXPECT_THAT(r.stdout_text, HasSubstr("always 0"));
//
// Contract: RunProgram always returns, and never leaves the program or anything it
// started behind. The program runs as the leader of a new process group; when it
// exceeds `timeout` the whole group is killed (SIGKILL) and `timed_out` is set. After the
// program exits, any process still in its group (a child it orphaned) is killed too and
// reported in `leftover_processes`.
#ifndef COMMON_RUN_PROGRAM_H_
#define COMMON_RUN_PROGRAM_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/time/time.h"

namespace lesson {

struct ProgramResult {
  int exit_code = -1;       // Exit status if it exited normally, else -1.
  int term_signal = 0;      // The signal that killed it, else 0.
  bool timed_out = false;   // Killed by RunProgram because it ran past the timeout.
  int leftover_processes = 0;  // Processes of its group still alive after it ended.
  std::string stdout_text;
  std::string stderr_text;
  absl::Duration elapsed;
};

struct RunOptions {
  absl::Duration timeout = absl::Seconds(60);
  // With `signal` != 0: sent after `signal_after`, as a user interrupting a run would.
  // To the program alone (`kill -INT <pid>`), or to its whole process group, which is
  // what Ctrl-C in a terminal does.
  int signal = 0;
  absl::Duration signal_after = absl::ZeroDuration();
  bool signal_whole_group = false;
};

// Runs argv[0] with the given arguments (no shell), stdin from /dev/null.
ProgramResult RunProgram(const std::vector<std::string>& argv, const RunOptions& options = {});

// The path of a file in the test's runfiles, given its workspace-relative path
// ("thread/lock"). Uses TEST_SRCDIR and TEST_WORKSPACE, which `bazel test` sets.
std::string RunfilePath(std::string_view workspace_relative_path);

}  // namespace lesson

#endif  // COMMON_RUN_PROGRAM_H_
