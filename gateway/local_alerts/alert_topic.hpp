#pragma once
// The topic of an alert on the local MQTT topic (`mqtt.alerts.topic`): the template with
// its placeholders {gateway}, {device}, {source} and {severity} filled in. The config
// check and the publisher both use it, so the placeholders are named once.

#include <string>
#include <string_view>

namespace edgegw::local_alerts {

[[nodiscard]] std::string alert_topic(std::string_view topic_template, std::string_view gateway,
                                      std::string_view device, std::string_view source,
                                      std::string_view severity);

}  // namespace edgegw::local_alerts
