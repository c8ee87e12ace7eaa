#pragma once
// Builds librdkafka configurations. Control path: throws ConfigError naming the property
// librdkafka rejected and why.

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "kafka/kafka_handles.hpp"

namespace edgegw::kafka {

// `properties` are applied in order; later entries override earlier ones.
KafkaConf make_conf(const std::map<std::string, std::string>& properties);
void set_property(rd_kafka_conf_t* conf, const std::string& name, const std::string& value);
// librdkafka's reason for refusing the property (unknown name, bad value, or a feature
// this build of librdkafka lacks), or nothing when it takes it.
std::optional<std::string> try_set_property(rd_kafka_conf_t* conf, const std::string& name,
                                            const std::string& value);

// Whether the property makes librdkafka load a library or run a command: whoever can
// write a config (or one of its ${ENV} values) would run code as the process, so the
// config sections refuse these (docs/security.md).
bool is_code_loading_property(std::string_view name);

// Creates a client of the given type; throws with librdkafka's message when it refuses.
KafkaHandle make_client(rd_kafka_type_t type, KafkaConf conf);

}  // namespace edgegw::kafka
