#pragma once
// What the operator narrows the dashboard to: a gateway, a site, a device class (the
// analytics profile), a device, a minimum severity. Empty fields match everything. The
// page filters what it holds with the same rules; /api/state takes them as a query
// string (?gateway=edge-01&severity=warning) for scripts.

#include <map>
#include <string>
#include <string_view>

#include "edgegw/result.hpp"

namespace edgegw::dashboard {

// info < warning < critical; anything else (an open alert's absence: "ok") ranks 0.
int severity_rank(std::string_view severity);

struct StateFilter {
  std::string gateway;
  std::string site;
  std::string device_class;
  std::string device;
  std::string min_severity;  // info | warning | critical, or empty

  // Whether something with these attributes passes; `severity` is an alert's, or a
  // device's worst open one ("ok" without any).
  [[nodiscard]] bool matches(std::string_view gateway_id, std::string_view site_name,
                             std::string_view device_class_name, std::string_view device_id,
                             std::string_view severity) const;
};

// `gateway=a&site=b&class=c&device=d&severity=warning`, percent-encoded as a browser
// sends it. An unknown parameter or severity is refused with its name.
Result<StateFilter> parse_state_filter(std::string_view query);

}  // namespace edgegw::dashboard
