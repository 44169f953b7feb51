#include "common/json.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace lesson {
namespace {

std::string EncodeNumber(double value) {
  if (!std::isfinite(value)) return "null";
  return absl::StrFormat("%.9g", value);
}

}  // namespace

std::string JsonQuote(std::string_view text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          out += absl::StrFormat("\\u%04x", c);
        } else {
          out += static_cast<char>(c);  // UTF-8 passes through unchanged.
        }
    }
  }
  out += '"';
  return out;
}

JsonObject& JsonObject::Set(std::string_view key, std::string_view value) {
  return SetEncoded(key, JsonQuote(value));
}

JsonObject& JsonObject::Set(std::string_view key, bool value) {
  return SetEncoded(key, value ? "true" : "false");
}

JsonObject& JsonObject::Set(std::string_view key, double value) {
  return SetEncoded(key, EncodeNumber(value));
}

JsonObject& JsonObject::Set(std::string_view key, const std::vector<JsonObject>& values) {
  return SetEncoded(key, absl::StrCat("[", absl::StrJoin(values, ", ", [](std::string* out, const JsonObject& o) {
                                        out->append(o.ToString());
                                      }),
                                      "]"));
}

JsonObject& JsonObject::Set(std::string_view key, const std::vector<double>& values) {
  return SetEncoded(key, absl::StrCat("[", absl::StrJoin(values, ", ", [](std::string* out, double v) {
                                        out->append(EncodeNumber(v));
                                      }),
                                      "]"));
}

JsonObject& JsonObject::Set(std::string_view key, const std::vector<std::string>& values) {
  std::string encoded = "[";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) encoded += ", ";
    encoded += JsonQuote(values[i]);
  }
  return SetEncoded(key, encoded + "]");
}

JsonObject& JsonObject::SetEncoded(std::string_view key, std::string encoded) {
  for (auto& [existing, value] : fields_) {
    if (existing == key) {
      value = std::move(encoded);
      return *this;
    }
  }
  fields_.emplace_back(std::string(key), std::move(encoded));
  return *this;
}

std::string JsonObject::ToString() const {
  return absl::StrCat("{", absl::StrJoin(fields_, ", ", [](std::string* out, const auto& field) {
                        absl::StrAppend(out, JsonQuote(field.first), ": ", field.second);
                      }),
                      "}");
}

}  // namespace lesson
