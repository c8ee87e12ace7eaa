#pragma once
// A record on its way to the durable log: its stream, the Kafka key it is produced with,
// its encoded payload (JSON), and for an alert the typed alert it encodes, so that a
// listener acts on the alert without parsing its JSON back.

#include <string>

#include "edgegw/analytics/alert.hpp"
#include "edgegw/stream.hpp"

namespace edgegw::records {

struct Record {
  Stream stream = Stream::telemetry;
  std::string key;
  std::string payload;
  const analytics::Alert* alert = nullptr;  // alerts stream only; valid while handed over
};

}  // namespace edgegw::records
