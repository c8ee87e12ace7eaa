#pragma once
// The topic of an alert on the local MQTT topic (`mqtt.alerts.topic`): the template with
// its placeholders {gateway}, {device}, {source} and {severity} filled in. The config
// check and the publisher both use it, so the placeholders are named once.

#include <optional>
#include <string>
#include <string_view>

namespace edgegw::local_alerts {

[[nodiscard]] std::string alert_topic(std::string_view topic_template, std::string_view gateway,
                                      std::string_view device, std::string_view source,
                                      std::string_view severity);

// Why `topic` cannot be published on (MQTT 3.1.1 / 5, section 4.7): empty, longer than
// the 65,535 bytes its length field holds, not UTF-8, a NUL, or a wildcard; nothing when
// it can. Checked before every publish: a topic filled in with outside data that broke
// these rules could be cut short by the client onto another device's topic.
[[nodiscard]] std::optional<std::string> publish_topic_problem(std::string_view topic);

}  // namespace edgegw::local_alerts
