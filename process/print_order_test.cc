// PrintOrder records lines from a parent and its child in the order they were printed,
// across the fork.
#include "process/print_order.h"

#include <unistd.h>

#include <string>
#include <vector>

#include "common/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "process/pipe.h"
#include "process/process.h"

namespace process {
namespace {

using ::testing::ElementsAre;

std::vector<int> Who(const std::vector<PrintOrder::Line>& lines) {
  std::vector<int> who;
  for (const PrintOrder::Line& line : lines) who.push_back(line.who);
  return who;
}

// Parent, child, parent, child: each waits for the other's turn through a pipe, so the
// order is known; the shared record must show exactly that order, with rising times.
TEST(PrintOrderTest, RecordsTheOrderAcrossAFork) {
  absl::StatusOr<PrintOrder> order = PrintOrder::Create();
  ASSERT_OK(order);
  absl::StatusOr<Pipe> to_child = Pipe::Create(), to_parent = Pipe::Create();
  ASSERT_OK(to_child);
  ASSERT_OK(to_parent);
  int printed_in_parent = 0;
  order->Print(0, [&] { ++printed_in_parent; });
  Process child([&] {
    to_child->CloseWrite();
    to_parent->CloseRead();
    char byte;
    if (read(to_child->read_fd(), &byte, 1) != 1) return 1;  // Wait for the parent's turn.
    order->Print(1, [] {});
    (void)to_parent->WriteAll("+");
    if (read(to_child->read_fd(), &byte, 1) != 1) return 1;
    order->Print(1, [] {});
    return 0;
  });
  ASSERT_OK(child.Start());
  to_child->CloseRead();
  to_parent->CloseWrite();
  ASSERT_OK(to_child->WriteAll("+"));  // Child: your turn.
  char byte;
  ASSERT_EQ(read(to_parent->read_fd(), &byte, 1), 1);
  order->Print(0, [&] { ++printed_in_parent; });
  ASSERT_OK(to_child->WriteAll("+"));
  ASSERT_OK(child.Join());
  EXPECT_EQ(child.exit_code(), 0);

  EXPECT_EQ(printed_in_parent, 2);  // Print ran the printer.
  const std::vector<PrintOrder::Line> lines = order->Lines();
  EXPECT_THAT(Who(lines), ElementsAre(0, 1, 0, 1));
  for (size_t i = 1; i < lines.size(); ++i) EXPECT_LE(lines[i - 1].at_us, lines[i].at_us) << i;
}

// Past kMaxLines, lines are printed but not recorded.
TEST(PrintOrderTest, KeepsAtMostMaxLines) {
  absl::StatusOr<PrintOrder> order = PrintOrder::Create();
  ASSERT_OK(order);
  int printed = 0;
  for (int i = 0; i < PrintOrder::kMaxLines + 5; ++i) order->Print(i % 2, [&] { ++printed; });
  EXPECT_EQ(printed, PrintOrder::kMaxLines + 5);
  EXPECT_EQ(order->Lines().size(), static_cast<size_t>(PrintOrder::kMaxLines));
}

}  // namespace
}  // namespace process
