#include "http/request_head.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <vector>

namespace edgegw::http {
namespace {

ParsedHead refused(Refusal refusal) {
  ParsedHead parsed;
  parsed.state = ParsedHead::State::refused;
  parsed.refusal = refusal;
  return parsed;
}

std::string_view without_cr(std::string_view line) {
  return !line.empty() && line.back() == '\r' ? line.substr(0, line.size() - 1) : line;
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::string_view trimmed(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) {
    return {};
  }
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

// RFC 9110 token characters, for methods and field names.
bool is_token(std::string_view text) {
  static constexpr std::string_view kSpecials = "!#$%&'*+-.^_`|~";
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 ||
           kSpecials.find(c) != std::string_view::npos;
  });
}

bool has_control_bytes(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return (byte < 0x20 && c != '\t') || byte == 0x7f;
  });
}

// Whether a comma-separated field value (Connection) lists `word`.
bool lists(std::string_view value, std::string_view word) {
  while (!value.empty()) {
    const std::size_t comma = value.find(',');
    if (equals_ignoring_case(trimmed(value.substr(0, comma)), word)) {
      return true;
    }
    value = comma == std::string_view::npos ? std::string_view() : value.substr(comma + 1);
  }
  return false;
}

struct RequestLine {
  std::string_view method;
  std::string_view target;
  bool http_1_0 = false;
};

std::optional<RequestLine> split_request_line(std::string_view line) {
  const std::size_t first = line.find(' ');
  const std::size_t second = line.find(' ', first + 1);
  if (first == std::string_view::npos || second == std::string_view::npos ||
      line.find(' ', second + 1) != std::string_view::npos) {
    return std::nullopt;
  }
  RequestLine parts{line.substr(0, first), line.substr(first + 1, second - first - 1)};
  const std::string_view version = line.substr(second + 1);
  if (!is_token(parts.method) || (version != "HTTP/1.1" && version != "HTTP/1.0")) {
    return std::nullopt;
  }
  // Origin form only: this endpoint is nobody's proxy.
  if (parts.target.empty() || parts.target.front() != '/' || has_control_bytes(parts.target)) {
    return std::nullopt;
  }
  parts.http_1_0 = version == "HTTP/1.0";
  return parts;
}

// What the fields say that matters here. Fails on a malformed field.
struct Fields {
  bool has_body = false;
  bool connection_close = false;
  std::string_view authorization;
};

std::optional<Fields> read_fields(const std::vector<std::string_view>& lines) {
  Fields fields;
  for (const std::string_view line : lines) {
    const std::size_t colon = line.find(':');
    // A folded line (leading whitespace) or a space before the colon: request smuggling
    // material, refused as RFC 9112 asks.
    if (colon == std::string_view::npos || !is_token(line.substr(0, colon))) {
      return std::nullopt;
    }
    const std::string_view name = line.substr(0, colon);
    const std::string_view value = trimmed(line.substr(colon + 1));
    if (has_control_bytes(value)) {
      return std::nullopt;
    }
    if (equals_ignoring_case(name, "content-length")) {
      fields.has_body = fields.has_body || value != "0";
    } else if (equals_ignoring_case(name, "transfer-encoding")) {
      fields.has_body = true;
    } else if (equals_ignoring_case(name, "connection")) {
      fields.connection_close = fields.connection_close || lists(value, "close");
    } else if (equals_ignoring_case(name, "authorization")) {
      fields.authorization = value;
    }
  }
  return fields;
}

ParsedHead parse_complete(std::string_view request_line, const std::vector<std::string_view>& lines,
                          std::size_t head_bytes) {
  const std::optional<RequestLine> parts = split_request_line(request_line);
  const std::optional<Fields> fields = read_fields(lines);
  if (!parts || !fields) {
    return refused(Refusal::bad_request);
  }
  // Before the method: whatever the method, a body is never read.
  if (fields->has_body) {
    return refused(Refusal::body);
  }
  ParsedHead parsed;
  if (parts->method == "GET") {
    parsed.head.method = Method::get;
  } else if (parts->method == "HEAD") {
    parsed.head.method = Method::head;
  } else if (parts->method == "POST") {
    parsed.head.method = Method::post;
  } else {
    return refused(Refusal::method_not_allowed);
  }
  parsed.state = ParsedHead::State::complete;
  parsed.head.path = std::string(parts->target.substr(0, parts->target.find('?')));
  // HTTP/1.0 keep-alive would need a `Connection: keep-alive` answer: one request each.
  parsed.head.keep_alive = !parts->http_1_0 && !fields->connection_close;
  parsed.head.authorization = std::string(fields->authorization);
  parsed.head_bytes = head_bytes;
  return parsed;
}

// Where the blank line ending the head ends, or npos: one cheap scan, because a slow
// client makes the server ask again after every few bytes.
std::size_t head_end(std::string_view received) {
  for (std::size_t newline = received.find('\n'); newline != std::string_view::npos;
       newline = received.find('\n', newline + 1)) {
    const std::string_view rest = received.substr(newline + 1);
    if (rest.starts_with("\n")) {
      return newline + 2;
    }
    if (rest.starts_with("\r\n")) {
      return newline + 3;
    }
  }
  return std::string_view::npos;
}

}  // namespace

ParsedHead parse_request_head(std::string_view received, const HeadLimits& limits) {
  const std::size_t first_end = received.find('\n');
  if (std::min(first_end, received.size()) > limits.max_request_line) {
    return refused(Refusal::uri_too_long);
  }
  const std::size_t end = head_end(received);
  if (std::min(end, received.size()) > limits.max_head_bytes) {
    return refused(Refusal::header_too_large);
  }
  if (end == std::string_view::npos) {
    return {};
  }
  std::vector<std::string_view> lines;
  for (std::size_t start = first_end + 1; start < end;) {
    const std::size_t line_end = received.find('\n', start);
    lines.push_back(without_cr(received.substr(start, line_end - start)));
    start = line_end + 1;
  }
  lines.pop_back();  // the blank line
  return parse_complete(without_cr(received.substr(0, first_end)), lines, end);
}

}  // namespace edgegw::http
