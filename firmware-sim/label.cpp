#include "label.hpp"

#include <nlohmann/json.hpp>

namespace edgegw::sim {

std::string to_json_line(const Label& label) {
  nlohmann::ordered_json j;
  switch (label.type) {
    case LabelType::anomaly:
      j["type"] = "anomaly";
      j["device"] = label.device;
      j["sensor"] = label.sensor.empty() ? nlohmann::ordered_json(nullptr)
                                         : nlohmann::ordered_json(label.sensor);
      j["kind"] = label.kind;
      j["start_ms"] = label.start_ms;
      j["end_ms"] = label.end_ms;
      j["value"] = label.value;
      break;
    case LabelType::bad_payload:
      j["type"] = "bad_payload";
      j["device"] = label.device;
      j["sensor"] = label.sensor.empty() ? nlohmann::ordered_json(nullptr)
                                         : nlohmann::ordered_json(label.sensor);
      j["kind"] = label.kind;
      j["ts_ms"] = label.start_ms;
      j["seq"] = label.seq;
      j["topic"] = label.topic;
      break;
    case LabelType::failure:
      j["type"] = "failure";
      j["device"] = label.device;
      j["kind"] = label.kind;
      j["ts_ms"] = label.start_ms;
      j["repaired_ms"] = label.end_ms;
      j["life"] = label.count;
      break;
    case LabelType::rul:
      j["type"] = "rul";
      j["device"] = label.device;
      j["ts_ms"] = label.start_ms;
      j["seq"] = label.seq;
      j["wear"] = label.wear;
      j["rul_ms"] = label.rul_ms;
      j["life"] = label.count;
      break;
    case LabelType::device_summary:
      j["type"] = "device";
      j["device"] = label.device;
      j["class"] = label.kind;
      j["site"] = label.sensor;
      j["topic"] = label.topic;
      j["first_seq"] = label.seq > 0 ? 1 : 0;
      j["last_seq"] = label.seq;
      j["messages"] = label.count;
      j["last_ts_ms"] = label.end_ms;
      break;
  }
  return j.dump();
}

}  // namespace edgegw::sim
