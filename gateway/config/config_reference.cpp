#include "config/config_reference.hpp"

#include <fmt/format.h>

#include <functional>
#include <stdexcept>
#include <utility>

#include "config/analytics_section.hpp"
#include "config/dashboard_section.hpp"
#include "config/kafka_topics_section.hpp"
#include "config/maintenance_section.hpp"
#include "config/metadata_section.hpp"
#include "config/option_doc.hpp"
#include "config/sections.hpp"

namespace edgegw::config {
namespace {

using Describe = std::vector<OptionDoc> (*)();

const std::vector<std::pair<std::string_view, Describe>>& tables() {
  static const std::vector<std::pair<std::string_view, Describe>> all = {
      {"gateway", describe_gateway_section},
      {"mqtt", describe_mqtt_section},
      {"mappings", describe_mapping_keys},
      {"mappings.sensors", describe_sensor_keys},
      {"kafka", describe_kafka_section},
      {"kafka.topics", describe_declared_topic},
      {"buffer", describe_buffer_section},
      {"http", describe_http_section},
      {"analytics", describe_analytics_section},
      {"analytics.profiles", describe_analytics_profile},
      {"analytics.maintenance", describe_maintenance_model},
      {"metadata", describe_metadata_section},
      {"dashboard", describe_dashboard_file},
      {"dashboard.http", describe_dashboard_http},
      {"dashboard.kafka", describe_dashboard_kafka},
      {"dashboard.limits", describe_dashboard_limits},
  };
  return all;
}

}  // namespace

std::vector<std::string_view> config_reference_sections() {
  std::vector<std::string_view> names;
  for (const auto& [name, describe] : tables()) {
    names.push_back(name);
  }
  return names;
}

std::string config_reference(std::string_view section) {
  for (const auto& [name, describe] : tables()) {
    if (name == section) {
      return render_markdown(describe());
    }
  }
  throw std::out_of_range(fmt::format("no config section '{}'", section));
}

std::string config_reference_with_markers() {
  std::string out;
  for (const auto& [name, describe] : tables()) {
    out += fmt::format(
        "<!-- config-reference: {0} begin -->\n{1}<!-- config-reference: {0} end -->\n\n", name,
        render_markdown(describe()));
  }
  return out;
}

}  // namespace edgegw::config
