#pragma once
// A payload decoded just enough to look fields up: JSON parsed into a document, CSV split
// into columns, a bare number parsed, or the metrics of a Sparkplug B message (which the
// mapper decodes with its topic: see use_sparkplug). The mapper asks it for each
// configured field.
//
// JSON is parsed with simdjson's DOM parser, reused for every message: on the ~80-byte
// payloads of a sensor it takes a tenth of the instructions nlohmann's document did
// (bench/mapping), and the ingest callback runs it for every message. The parser's
// buffers grow to the largest payload seen, which mqtt.max_payload bounds.

#include <simdjson.h>

#include <string>
#include <string_view>
#include <vector>

#include "edgegw/mapping.hpp"
#include "edgegw/result.hpp"
#include "mapping/compiled_mapping.hpp"
#include "sparkplug/sparkplug_decoder.hpp"

namespace edgegw::mapping {

struct FieldValue {
  enum class Kind { missing, number, text, other };
  Kind kind = Kind::missing;
  double number = 0.0;
  std::string_view text;       // for Kind::text: points into the payload or the parser
  std::string_view type_name;  // for Kind::other: "object", "array", "boolean", ...
};

// Owned by the mapper and reused for every message (one thread: the ingest callback).
class PayloadFields {
 public:
  // Decodes `payload` in `format`; the payload must outlive the lookups.
  Status decode(PayloadFormat format, const MappingConfig& config, std::string_view payload);
  // Looks fields up among a decoded Sparkplug message's metrics, which must outlive the
  // lookups.
  void use_sparkplug(const std::vector<sparkplug::Metric>& metrics);
  [[nodiscard]] FieldValue get(const FieldLocator& locator) const;

 private:
  Status parse_json(std::string_view payload);

  PayloadFormat format_ = PayloadFormat::json;
  simdjson::dom::parser parser_;
  simdjson::dom::element document_;
  std::vector<char> padded_;  // the payload copied with the padding simdjson reads ahead
  std::vector<std::string_view> columns_;
  double number_ = 0.0;
  const std::vector<sparkplug::Metric>* metrics_ = nullptr;
};

// Parses a whole string as a finite-or-not double ("12.5", "-3e2", " 7 "); false if not
// a number at all.
bool parse_number(std::string_view text, double& out);

}  // namespace edgegw::mapping
