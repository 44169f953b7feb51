// efficiency/json_reader.h — a minimal JSON reader for this chapter's tests. (testonly)
//
// The experiments promise "exactly one JSON object on stdout" (results.h). The tests hold
// them to it by parsing that output strictly: ParseJson accepts one JSON value with
// optional surrounding whitespace and nothing else (RFC 8259 grammar; \u escapes are
// decoded for the Basic Multilingual Plane, which is all the experiments write).
//
//   absl::StatusOr<JsonValue> v = ParseJson(stdout_text);
//   const JsonValue& rows = v->at("results");
//   double seconds = rows.items()[0].at("seconds").number();
#ifndef EFFICIENCY_JSON_READER_H_
#define EFFICIENCY_JSON_READER_H_

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "absl/status/statusor.h"

namespace efficiency_test {

class JsonValue {
 public:
  using Object = std::map<std::string, JsonValue>;
  using Array = std::vector<JsonValue>;

  JsonValue() = default;  // null
  explicit JsonValue(bool b) : value_(b) {}
  explicit JsonValue(double d) : value_(d) {}
  explicit JsonValue(std::string s) : value_(std::move(s)) {}
  explicit JsonValue(Array a) : value_(std::make_shared<Array>(std::move(a))) {}
  explicit JsonValue(Object o) : value_(std::make_shared<Object>(std::move(o))) {}

  bool is_null() const { return std::holds_alternative<std::monostate>(value_); }
  bool is_bool() const { return std::holds_alternative<bool>(value_); }
  bool is_number() const { return std::holds_alternative<double>(value_); }
  bool is_string() const { return std::holds_alternative<std::string>(value_); }
  bool is_array() const { return std::holds_alternative<std::shared_ptr<Array>>(value_); }
  bool is_object() const { return std::holds_alternative<std::shared_ptr<Object>>(value_); }

  // Accessors; each requires the matching is_*() (else std::bad_variant_access).
  bool boolean() const { return std::get<bool>(value_); }
  double number() const { return std::get<double>(value_); }
  const std::string& string() const { return std::get<std::string>(value_); }
  const Array& items() const { return *std::get<std::shared_ptr<Array>>(value_); }
  const Object& fields() const { return *std::get<std::shared_ptr<Object>>(value_); }

  // For objects: whether `key` is present, and its value (std::out_of_range if absent).
  bool has(const std::string& key) const { return is_object() && fields().count(key) > 0; }
  const JsonValue& at(const std::string& key) const { return fields().at(key); }

 private:
  std::variant<std::monostate, bool, double, std::string, std::shared_ptr<Array>,
               std::shared_ptr<Object>>
      value_;
};

// Parses `text` as exactly one JSON value (whitespace around it allowed). The error
// says what was expected and at which byte offset.
absl::StatusOr<JsonValue> ParseJson(std::string_view text);

}  // namespace efficiency_test

#endif  // EFFICIENCY_JSON_READER_H_
