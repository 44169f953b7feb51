// //process:program_vs_process: one program run several times gives several processes,
// each with its own PID, its own copy of a global, and its own CPU time and memory as
// the kernel accounts them.
#include <algorithm>
#include <set>
#include <string>

#include "common/lesson_testing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace {

using namespace ::lesson::testing;  // RunLesson, RanCleanly, Search, HasSubstr...

struct TableRow {
  int run;
  std::string pid;
  double cpu_asked_ms, cpu_used_ms, touched_mib, peak_mib;
};

TEST(ProgramVsProcessTest, EachRunIsAProcessOfItsOwn) {
  lesson::ProgramResult r =
      RunLesson("process/program_vs_process", {"--runs=2", "--megabytes=8", "--cpu=50ms"});
  ASSERT_THAT(r, RanCleanly());
  EXPECT_THAT(r.stdout_text, HasSubstr("程序和进程  (Program and process)"));

  // Each run saw its own g_value: the one it set, not main's 0.
  EXPECT_THAT(r.stdout_text, HasSubstr("main: PID"));
  EXPECT_THAT(r.stdout_text, HasSubstr("g_value = 0 at"));
  EXPECT_THAT(r.stdout_text, HasSubstr("run 1: PID"));
  EXPECT_THAT(r.stdout_text, HasSubstr("g_value = 1 at"));
  EXPECT_THAT(r.stdout_text, HasSubstr("g_value = 2 at"));

  // run, PID, CPU asked, CPU used, in kernel, page faults, memory touched, peak RSS, ended
  // The pattern is anchored with ^...$: the whole line must be a row.
  const std::string row_pattern =
      "^ +(\\d) +(\\d+) +(\\d+) ms +(\\d+) ms +\\d+ ms +\\d+ +(\\d+) MiB +([0-9.]+) MiB +exited "
      "with code 0$";
  std::vector<TableRow> rows;
  for (const std::string& line : Lines(r.stdout_text)) {
    const Groups m = Search(line, row_pattern);
    if (!m.empty()) {
      rows.push_back({std::stoi(m[1]), m[2], std::stod(m[3]), std::stod(m[4]), std::stod(m[5]),
                      std::stod(m[6])});
    }
  }
  ASSERT_EQ(rows.size(), 2u) << r.stdout_text;
  EXPECT_NE(rows[0].pid, rows[1].pid);
  const Groups main_pid = Search(r.stdout_text, "main: PID (\\d+)");
  ASSERT_FALSE(main_pid.empty()) << r.stdout_text;
  EXPECT_NE(rows[0].pid, main_pid[1]);
  for (const TableRow& row : rows) {
    // The run computes until its own CPU clock reaches the target: never less (the
    // table rounds to whole milliseconds).
    EXPECT_GE(row.cpu_used_ms + 1, row.cpu_asked_ms);
    EXPECT_GE(row.peak_mib, row.touched_mib);  // It touched every byte it held.
  }
  // Run 2 held 8 MiB more than run 1, and the kernel saw it.
  EXPECT_GE(rows[1].peak_mib - rows[0].peak_mib, 6.0);

  // The closing point quotes this run's table: the least and most extra CPU time.
  const Groups extra = Search(r.stdout_text, "asked to compute: (\\d+) to (\\d+) ms more");
  ASSERT_FALSE(extra.empty()) << r.stdout_text;
  const double extra0 = rows[0].cpu_used_ms - rows[0].cpu_asked_ms;
  const double extra1 = rows[1].cpu_used_ms - rows[1].cpu_asked_ms;
  // The table and the sentence round separately: allow 1 ms.
  EXPECT_NEAR(std::stod(extra[1]), std::min(extra0, extra1), 1.0);
  EXPECT_NEAR(std::stod(extra[2]), std::max(extra0, extra1), 1.0);
}

TEST(ProgramVsProcessTest, RejectsBadFlags) {
  for (const char* flag :
       {"--runs=0", "--megabytes=-1", "--cpu=5s", "--cpu=50", "--cpu_ms=50", "--role=child"}) {
    ExpectRejected("process/program_vs_process", flag);
  }
  // A duration without a unit is told to add one.
  EXPECT_THAT(RunLesson("process/program_vs_process", {"--cpu=50"}).stderr_text,
              HasSubstr("add a unit, e.g. 1s or 300ms"));
}

}  // namespace
