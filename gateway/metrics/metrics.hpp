#pragma once
// The gateway's metrics, described where they are counted. Each part offers a function
// that reports its probe to a Sink: the name, type and meaning of every metric, and the
// value of each of its series. The same report feeds two sinks, so neither can drift
// from the other: PrometheusText (/metrics) and MetricsCatalog (the reference table in
// docs/operations.md, printed by `edgegw metrics-reference`).
//
// No registry of live objects: the parts keep their counters as relaxed atomics (or
// snapshots), and /metrics reads them when scraped, from the HTTP thread.

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace edgegw::metrics {

enum class Type { counter, gauge };

// One metric: all of its series share name, type and help. `name` is without the
// `edgegw_` prefix every metric carries.
struct Family {
  std::string_view name;
  Type type;
  std::string_view help;
};

// A label of one series beyond `gateway`, which every series carries: a cause
// (`reason`, `stream`) or a fact (`version`).
struct Label {
  std::string_view name;
  std::string_view value;
};

class Sink {
 public:
  Sink() = default;
  Sink(const Sink&) = delete;
  Sink& operator=(const Sink&) = delete;
  virtual ~Sink() = default;

  // One series of `family`. The series of one family are added one after another.
  virtual void add(const Family& family, double value, std::initializer_list<Label> labels) = 0;
  void add(const Family& family, double value) { add(family, value, {}); }
  void add(const Family& family, std::uint64_t value) {
    add(family, static_cast<double>(value), {});
  }
  void add(const Family& family, bool value) { add(family, value ? 1.0 : 0.0, {}); }
};

// Prometheus text exposition format 0.0.4, every series labelled gateway="<id>".
class PrometheusText final : public Sink {
 public:
  explicit PrometheusText(std::string_view gateway_id);
  using Sink::add;
  void add(const Family& family, double value, std::initializer_list<Label> labels) override;
  std::string take() { return std::move(text_); }

 private:
  std::string gateway_label_;
  std::string_view current_family_;
  std::string text_;
};

// Every family reported, with its label names and the label values seen, in order.
class MetricsCatalog final : public Sink {
 public:
  using Sink::add;
  void add(const Family& family, double value, std::initializer_list<Label> labels) override;
  // A Markdown table: metric, type, labels (with their values), meaning.
  [[nodiscard]] std::string markdown_table() const;

  struct LabelValues {
    std::string name;
    std::vector<std::string> values;
  };

 private:
  struct Entry {
    Family family;
    std::vector<LabelValues> labels;
  };
  Entry& entry_for(const Family& family);

  std::vector<Entry> entries_;
};

// A label value as the exposition format wants it: backslash, double quote and newline
// escaped (one unescaped quote would end the value and break the whole scrape).
std::string escape_label_value(std::string_view value);

}  // namespace edgegw::metrics
