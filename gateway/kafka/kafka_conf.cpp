#include "kafka/kafka_conf.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "edgegw/config_error.hpp"

namespace edgegw::kafka {

bool is_code_loading_property(std::string_view name) {
  constexpr std::array<std::string_view, 4> kCodeLoading = {
      "plugin.library.paths", "sasl.kerberos.kinit.cmd", "ssl.engine.location", "ssl.providers"};
  return std::find(kCodeLoading.begin(), kCodeLoading.end(), name) != kCodeLoading.end();
}

std::optional<std::string> try_set_property(rd_kafka_conf_t* conf, const std::string& name,
                                            const std::string& value) {
  std::array<char, 512> error{};
  if (rd_kafka_conf_set(conf, name.c_str(), value.c_str(), error.data(), error.size()) !=
      RD_KAFKA_CONF_OK) {
    return std::string(error.data());
  }
  return std::nullopt;
}

void set_property(rd_kafka_conf_t* conf, const std::string& name, const std::string& value) {
  if (std::optional<std::string> error = try_set_property(conf, name, value)) {
    throw config::ConfigError(fmt::format("kafka property '{}': {}", name, *error));
  }
}

KafkaConf make_conf(const std::map<std::string, std::string>& properties) {
  KafkaConf conf(rd_kafka_conf_new());
  for (const auto& [name, value] : properties) {
    set_property(conf.get(), name, value);
  }
  return conf;
}

KafkaHandle make_client(rd_kafka_type_t type, KafkaConf conf) {
  std::array<char, 512> error{};
  rd_kafka_t* rk = rd_kafka_new(type, conf.get(), error.data(), error.size());
  if (rk == nullptr) {
    throw config::ConfigError(
        fmt::format("cannot create the Kafka client: {}", std::string(error.data())));
  }
  (void)conf.release();  // rd_kafka_new took ownership of the configuration
  return KafkaHandle(rk);
}

}  // namespace edgegw::kafka
