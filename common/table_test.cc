#include "common/table.h"

#include "gtest/gtest.h"

namespace {

// A Chinese character takes two columns, ASCII one, a combining mark none.
TEST(DisplayWidthTest, CountsTerminalColumns) {
  EXPECT_EQ(lesson::DisplayWidth(""), 0);
  EXPECT_EQ(lesson::DisplayWidth("threads"), 7);
  EXPECT_EQ(lesson::DisplayWidth("线程"), 4);
  EXPECT_EQ(lesson::DisplayWidth("线程 threads"), 12);
  EXPECT_EQ(lesson::DisplayWidth("（全角）"), 8);
  EXPECT_EQ(lesson::DisplayWidth("e\u0301"), 1);
}

// Padding reaches the width in columns, not in bytes.
TEST(DisplayWidthTest, PadsByColumns) {
  EXPECT_EQ(lesson::PadRight("线程", 6), "线程  ");
  EXPECT_EQ(lesson::PadLeft("线程", 6), "  线程");
  EXPECT_EQ(lesson::PadRight("threads", 3), "threads");
}

// Every line of a mixed table puts each column at the same terminal column.
TEST(TableTest, ColumnsAlignInChinese) {
  lesson::Table table({{lesson::Verbatim("模式"), lesson::Table::kLeft},
                       {lesson::Verbatim("中位数 s"), lesson::Table::kRight},
                       {lesson::Verbatim("note"), lesson::Table::kLeft}});
  table.AddRow({"单线程", "0.334", "x"});
  table.AddRow({"threads", "0.18", "yy"});
  const std::vector<std::string> lines = table.Lines();
  ASSERT_EQ(lines.size(), 4u);
  // The third column starts at the same display column on every row.
  for (const std::string& line : {lines[0], lines[2], lines[3]}) {
    const size_t last_gap = line.rfind("  ");
    EXPECT_EQ(lesson::DisplayWidth(line.substr(0, last_gap + 2)),
              lesson::DisplayWidth(lines[0].substr(0, lines[0].rfind("  ") + 2)))
        << line;
  }
  EXPECT_EQ(lesson::DisplayWidth(lines[1]), lesson::DisplayWidth(lines[0]));
  EXPECT_EQ(lines[2], "单线程      0.334  x");
}

}  // namespace
