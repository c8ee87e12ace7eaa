#include "dashboard/state_filter.hpp"

#include <fmt/format.h>

#include <system_error>

namespace edgegw::dashboard {
namespace {

Error refused(std::string message) {
  return make_error(std::make_error_code(std::errc::invalid_argument), std::move(message));
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

// application/x-www-form-urlencoded: `+` is a space, `%XY` a byte.
Result<std::string> decode_component(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] != '%') {
      out += text[i];
    } else if (i + 2 < text.size() && hex_value(text[i + 1]) >= 0 && hex_value(text[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
      i += 2;
    } else {
      return refused("a bad %-escape in the query");
    }
  }
  return out;
}

bool matches_field(const std::string& wanted, std::string_view actual) {
  return wanted.empty() || wanted == actual;
}

}  // namespace

int severity_rank(std::string_view severity) {
  if (severity == "info") {
    return 1;
  }
  if (severity == "warning") {
    return 2;
  }
  if (severity == "critical") {
    return 3;
  }
  return 0;
}

bool StateFilter::matches(std::string_view gateway_id, std::string_view site_name,
                          std::string_view device_class_name, std::string_view device_id,
                          std::string_view severity) const {
  return matches_field(gateway, gateway_id) && matches_field(site, site_name) &&
         matches_field(device_class, device_class_name) && matches_field(device, device_id) &&
         (min_severity.empty() || severity_rank(severity) >= severity_rank(min_severity));
}

Result<StateFilter> parse_state_filter(std::string_view query) {
  StateFilter filter;
  const std::map<std::string_view, std::string StateFilter::*> fields = {
      {"gateway", &StateFilter::gateway},
      {"site", &StateFilter::site},
      {"class", &StateFilter::device_class},
      {"device", &StateFilter::device},
      {"severity", &StateFilter::min_severity}};
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (pair.empty()) {
      continue;
    }
    const std::size_t eq = pair.find('=');
    const std::string_view name = pair.substr(0, eq);
    const auto field = fields.find(name);
    if (field == fields.end()) {
      return refused(
          fmt::format("unknown filter '{}': use gateway, site, class, device or severity", name));
    }
    Result<std::string> value =
        decode_component(eq == std::string_view::npos ? "" : pair.substr(eq + 1));
    if (!value) {
      return value.error();
    }
    filter.*(field->second) = std::move(value.value());
  }
  if (!filter.min_severity.empty() && severity_rank(filter.min_severity) == 0) {
    return refused(
        fmt::format("unknown severity '{}': use info, warning or critical", filter.min_severity));
  }
  return filter;
}

}  // namespace edgegw::dashboard
