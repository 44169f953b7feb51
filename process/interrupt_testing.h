// process/interrupt_testing.h — (test only) interrupting a lesson the two ways a user does.
//
// Every lesson of this chapter opens with an InterruptGuard (interrupt_guard.h): Ctrl-C
// must end the lesson and everything it started. A lesson's test holds it to that, with a
// line the lesson had printed by then and one it never reached:
//
//   TEST(KillTest, InterruptedLeavesNothing) {
//     process::testing::ExpectInterruptedCleanly("process/kill", {"--deadline=30s"},
//                                                /*reached=*/"blocked forever",
//                                                /*not_reached=*/"p2 (PID");
//   }
#ifndef PROCESS_INTERRUPT_TESTING_H_
#define PROCESS_INTERRUPT_TESTING_H_

#include <string>
#include <string_view>
#include <vector>

namespace process::testing {

// Runs the lesson at `lesson_path` ("process/join") with `flags` twice and sends it SIGINT
// after 1 s: once to the lesson alone (`kill -INT <pid>`), once to its whole process group
// (Ctrl-C in a terminal). Each time expects that it died of SIGINT, was not timed out and
// left nothing running, and that the signal came mid-run: its output holds `reached` and
// not `not_reached`. (GoogleTest expectations; a failure names the way the lesson was
// interrupted and shows its stderr or stdout.)
void ExpectInterruptedCleanly(std::string_view lesson_path, const std::vector<std::string>& flags,
                              const std::string& reached, const std::string& not_reached);

}  // namespace process::testing

#endif  // PROCESS_INTERRUPT_TESTING_H_
