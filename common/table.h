// common/table.h — aligned columns in a terminal, in any language.
//
// A terminal shows a Chinese character two columns wide, so padding by bytes (printf's
// "%-22s") or by code points leaves a Chinese table ragged. Everything here pads by
// display width: East Asian wide and fullwidth characters count 2, combining marks 0,
// everything else 1 (Unicode's East Asian Width property, as wcwidth() applies it).
//
//   lesson::Table table({{lesson::Tr("mode"), lesson::Table::kLeft},
//                        {lesson::Tr("median s"), lesson::Table::kRight}});
//   table.AddRow({"threads", "0.179"});
//   table.Print();    // header, a rule as wide as the table, then the rows
#ifndef COMMON_TABLE_H_
#define COMMON_TABLE_H_

#include <string>
#include <string_view>
#include <vector>

#include "common/message.h"

namespace lesson {

// Columns `text` takes in a terminal (UTF-8; an invalid byte counts 1).
int DisplayWidth(std::string_view text);

// `text` followed (PadRight) or preceded (PadLeft) by spaces up to `width` columns;
// unchanged if it is already as wide.
std::string PadRight(std::string_view text, int width);
std::string PadLeft(std::string_view text, int width);

class Table {
 public:
  enum Align { kLeft, kRight };
  struct Column {
    Text header;
    Align align = kLeft;
  };

  explicit Table(std::vector<Column> columns);

  // One row: a cell per column (missing cells are blank).
  void AddRow(std::vector<std::string> cells);

  // The header, a rule of '-', and the rows; columns separated by two spaces.
  std::vector<std::string> Lines() const;
  // Lines(), each with WriteLine.
  void Print() const;

 private:
  std::vector<Column> columns_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace lesson

#endif  // COMMON_TABLE_H_
