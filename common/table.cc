#include "common/table.h"

#include <algorithm>
#include <cstdint>
#include <utility>

#include "common/lesson.h"

namespace lesson {
namespace {

// Decodes one UTF-8 code point at text[i], advancing i; an invalid byte is returned as is.
char32_t NextCodePoint(std::string_view text, size_t& i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  int length = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3 : (lead >> 3) == 0x1E ? 4 : 0;
  if (length == 0 || i + length > text.size()) {
    ++i;
    return lead;
  }
  char32_t cp = length == 1 ? lead : lead & (0x7F >> length);
  for (int k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) {
      ++i;
      return lead;
    }
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  i += length;
  return cp;
}

int CodePointWidth(char32_t cp) {
  // Combining marks and zero-width characters take no column of their own.
  if ((cp >= 0x0300 && cp <= 0x036F) || cp == 0x200B || cp == 0x200D || cp == 0xFE0F ||
      (cp >= 0xFE20 && cp <= 0xFE2F)) {
    return 0;
  }
  // East Asian Wide (W) and Fullwidth (F) ranges.
  static constexpr std::pair<char32_t, char32_t> kWide[] = {
      {0x1100, 0x115F},   {0x2E80, 0x303E},   {0x3041, 0x33FF},   {0x3400, 0x4DBF},
      {0x4E00, 0x9FFF},   {0xA000, 0xA4CF},   {0xAC00, 0xD7A3},   {0xF900, 0xFAFF},
      {0xFE30, 0xFE4F},   {0xFF00, 0xFF60},   {0xFFE0, 0xFFE6},   {0x1F300, 0x1F64F},
      {0x1F900, 0x1F9FF}, {0x20000, 0x2FFFD}, {0x30000, 0x3FFFD},
  };
  for (const auto& [lo, hi] : kWide) {
    if (cp >= lo && cp <= hi) return 2;
  }
  return 1;
}

}  // namespace

int DisplayWidth(std::string_view text) {
  int width = 0;
  for (size_t i = 0; i < text.size();) width += CodePointWidth(NextCodePoint(text, i));
  return width;
}

std::string PadRight(std::string_view text, int width) {
  std::string out(text);
  out.append(static_cast<size_t>(std::max(0, width - DisplayWidth(text))), ' ');
  return out;
}

std::string PadLeft(std::string_view text, int width) {
  std::string out(static_cast<size_t>(std::max(0, width - DisplayWidth(text))), ' ');
  out.append(text);
  return out;
}

Table::Table(std::vector<Column> columns) : columns_(std::move(columns)) {}

void Table::AddRow(std::vector<std::string> cells) {
  cells.resize(columns_.size());
  rows_.push_back(std::move(cells));
}

std::vector<std::string> Table::Lines() const {
  std::vector<int> widths;
  for (const Column& column : columns_) widths.push_back(DisplayWidth(column.header.str()));
  for (const auto& row : rows_) {
    for (size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], DisplayWidth(row[c]));
  }
  auto render = [&](const std::vector<std::string>& cells) {
    std::string line;
    for (size_t c = 0; c < columns_.size(); ++c) {
      if (c > 0) line += "  ";
      const bool last = c + 1 == columns_.size();
      if (columns_[c].align == kRight) {
        line += PadLeft(cells[c], widths[c]);
      } else {
        line += last ? cells[c] : PadRight(cells[c], widths[c]);  // no trailing blanks
      }
    }
    return line;
  };
  std::vector<std::string> header;
  for (const Column& column : columns_) header.push_back(column.header.str());
  std::vector<std::string> lines = {render(header)};
  int total = 0;
  for (int w : widths) total += w;
  total += 2 * static_cast<int>(widths.empty() ? 0 : widths.size() - 1);
  lines.push_back(std::string(static_cast<size_t>(total), '-'));
  for (const auto& row : rows_) lines.push_back(render(row));
  return lines;
}

void Table::Print() const {
  for (const std::string& line : Lines()) WriteLine(line);
}

}  // namespace lesson
