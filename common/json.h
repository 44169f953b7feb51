// common/json.h — a JSON object built field by field: what an experiment prints with
// --json (common/json_flag.h), and the arguments of a trace event (common/trace.h).
//
//
//   lesson::JsonObject row;
//   row.Set("mode", "threads").Set("workers", 2).Set("seconds", 0.51);
//   lesson::JsonObject out;
//   out.Set("experiment", "cpu_bound").Set("results", std::vector{row});
//   lesson::WriteLine(out.ToString());
//
// Keys keep the order they were first set in; setting a key again replaces its value.
// Numbers that are not finite (NaN, infinity) are written as null, as JSON requires.
#ifndef COMMON_JSON_H_
#define COMMON_JSON_H_

#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace lesson {

// `text` as a JSON string literal, quotes included.
std::string JsonQuote(std::string_view text);

class JsonObject {
 public:
  JsonObject& Set(std::string_view key, std::string_view value);
  JsonObject& Set(std::string_view key, const char* value) {
    return Set(key, std::string_view(value));
  }
  JsonObject& Set(std::string_view key, const std::string& value) {
    return Set(key, std::string_view(value));
  }
  JsonObject& Set(std::string_view key, bool value);
  JsonObject& Set(std::string_view key, double value);
  template <typename Integer,
            typename = std::enable_if_t<std::is_integral_v<Integer> &&
                                        !std::is_same_v<Integer, bool>>>
  JsonObject& Set(std::string_view key, Integer value) {
    return SetEncoded(key, std::to_string(value));
  }
  JsonObject& Set(std::string_view key, const JsonObject& value) {
    return SetEncoded(key, value.ToString());
  }
  JsonObject& Set(std::string_view key, const std::vector<JsonObject>& values);
  JsonObject& Set(std::string_view key, const std::vector<double>& values);
  JsonObject& Set(std::string_view key, const std::vector<std::string>& values);

  // The object on one line: {"key": value, ...}.
  std::string ToString() const;

 private:
  JsonObject& SetEncoded(std::string_view key, std::string encoded);

  std::vector<std::pair<std::string, std::string>> fields_;  // key, encoded value
};

}  // namespace lesson

#endif  // COMMON_JSON_H_
