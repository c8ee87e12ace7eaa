#include "metrics/metrics.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>

namespace edgegw::metrics {
namespace {

constexpr std::string_view kPrefix = "edgegw_";

std::string_view type_name(Type type) {
  return type == Type::counter ? "counter" : "gauge";
}

// Backslash and newline escaped, and the double quote too where the text is quoted (a
// label value; HELP text is not).
std::string escape(std::string_view text, bool quoted) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '"' && quoted) {
      out += "\\\"";
    } else {
      out += c;
    }
  }
  return out;
}

// A pipe would end a Markdown table cell.
std::string escape_cell(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c == '|') {
      out += '\\';
    }
    out += c;
  }
  return out;
}

// `reason`: `a`, `b`; `stream`: `c`
std::string describe_labels(const std::vector<MetricsCatalog::LabelValues>& labels) {
  std::string out;
  for (const auto& label : labels) {
    out += out.empty() ? "" : "; ";
    out += fmt::format("`{}`", label.name);
    for (std::size_t i = 0; i < label.values.size(); ++i) {
      out += fmt::format("{}`{}`", i == 0 ? ": " : ", ", label.values[i]);
    }
  }
  return out;
}

}  // namespace

std::string escape_label_value(std::string_view value) {
  return escape(value, true);
}

PrometheusText::PrometheusText(std::string_view gateway_id)
    : gateway_label_(fmt::format("gateway=\"{}\"", escape_label_value(gateway_id))) {}

void PrometheusText::add(const Family& family, double value, std::initializer_list<Label> labels) {
  auto out = std::back_inserter(text_);
  if (family.name != current_family_) {
    current_family_ = family.name;
    fmt::format_to(out, "# HELP {0}{1} {2}\n# TYPE {0}{1} {3}\n", kPrefix, family.name,
                   escape(family.help, false), type_name(family.type));
  }
  fmt::format_to(out, "{}{}{{{}", kPrefix, family.name, gateway_label_);
  for (const Label& label : labels) {
    fmt::format_to(out, ",{}=\"{}\"", label.name, escape_label_value(label.value));
  }
  fmt::format_to(out, "}} {}\n", value);
}

void MetricsCatalog::add(const Family& family, double /*value*/,
                         std::initializer_list<Label> labels) {
  Entry& entry = entry_for(family);
  for (const Label& label : labels) {
    auto names = std::find_if(entry.labels.begin(), entry.labels.end(),
                              [&](const LabelValues& l) { return l.name == label.name; });
    if (names == entry.labels.end()) {
      names = entry.labels.insert(entry.labels.end(), {std::string(label.name), {}});
    }
    // An empty value stands for "any": a label whose values are not a fixed set.
    if (!label.value.empty() &&
        std::find(names->values.begin(), names->values.end(), label.value) == names->values.end()) {
      names->values.emplace_back(label.value);
    }
  }
}

MetricsCatalog::Entry& MetricsCatalog::entry_for(const Family& family) {
  const auto it = std::find_if(entries_.begin(), entries_.end(),
                               [&](const Entry& e) { return e.family.name == family.name; });
  return it != entries_.end() ? *it : entries_.emplace_back(Entry{family, {}});
}

std::string MetricsCatalog::markdown_table() const {
  std::string out = "| metric | type | labels | meaning |\n|---|---|---|---|\n";
  for (const Entry& e : entries_) {
    fmt::format_to(std::back_inserter(out), "| `{}{}` | {} | {} | {} |\n", kPrefix, e.family.name,
                   type_name(e.family.type), escape_cell(describe_labels(e.labels)),
                   escape_cell(e.family.help));
  }
  return out;
}

}  // namespace edgegw::metrics
