#include "config/analytics_section.hpp"

#include "config/option_table.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cstdlib>
#include <functional>
#include <string>

namespace edgegw::config {
namespace {

using analytics::ProfileConfig;
using analytics::RuleConfig;
using analytics::Severity;

// Options shared by most detectors, declared once each.
template <typename S>
Option<S> severity_option(Severity S::*member) {
  return choice<S>(
      "severity", member,
      {{"info", Severity::info}, {"warning", Severity::warning}, {"critical", Severity::critical}},
      "Severity of its alerts.");
}

template <typename S>
Option<S> sensors_option(std::vector<std::string> S::*member) {
  return list<S>("sensors", member, "The sensors it watches; none listed: every sensor.");
}

template <typename S>
Option<S> rate_option(double S::*member) {
  return number<S>("false_alarm_rate", member, strictly_between(0, 0.5),
                   "Threshold as the chance per sample that a clean sample crosses it.");
}

template <typename S>
Option<S> half_life_option(double S::*member) {
  return number<S>("half_life", member, above(0), "Samples for a past sample's weight to halve.");
}

template <typename S>
Option<S> warmup_option(std::uint32_t S::*member, Bounds bounds) {
  return integer<S>("warmup", member, bounds, "Samples it learns from before it scores.");
}

const OptionTable<analytics::EwmaConfig>& ewma_options() {
  using C = analytics::EwmaConfig;
  static const OptionTable<C> table = {
      flag<C>("enabled", &C::enabled, "Robust z-score against an exponentially weighted mean."),
      sensors_option<C>(&C::sensors),
      half_life_option<C>(&C::half_life),
      warmup_option<C>(&C::warmup, {}),
      rate_option<C>(&C::false_alarm_rate),
      number<C>("clip", &C::clip, above(0),
                "Residuals are clipped at clip·σ when learning, so a spike cannot drag the "
                "model."),
      number<C>("min_std", &C::min_std, at_least(0), "Floor of σ, e.g. the sensor's resolution."),
      severity_option<C>(&C::severity),
  };
  return table;
}

const OptionTable<analytics::MadConfig>& mad_options() {
  using C = analytics::MadConfig;
  static const OptionTable<C> table = {
      flag<C>("enabled", &C::enabled, "Robust z-score against the median of a sliding window."),
      sensors_option<C>(&C::sensors),
      integer<C>("window", &C::window, between(3, 100000), "Samples in the sliding window."),
      warmup_option<C>(&C::warmup, at_least(3)),
      integer<C>("refresh_every", &C::refresh_every, at_least(1),
                 "Recompute median and MAD every this many samples (at most `window`)."),
      rate_option<C>(&C::false_alarm_rate),
      number<C>("min_std", &C::min_std, at_least(0), "Floor of σ."),
      severity_option<C>(&C::severity),
  };
  return table;
}

const OptionTable<analytics::RateConfig>& rate_options() {
  using C = analytics::RateConfig;
  static const OptionTable<C> table = {
      flag<C>("enabled", &C::enabled, "Robust z-score of the per-second change."),
      sensors_option<C>(&C::sensors),
      half_life_option<C>(&C::half_life),
      warmup_option<C>(&C::warmup, {}),
      rate_option<C>(&C::false_alarm_rate),
      number<C>("max_rate", &C::max_rate, above(0), "Units per second; any faster change alarms."),
      number<C>("min_std", &C::min_std, at_least(0), "Floor of σ."),
      severity_option<C>(&C::severity),
  };
  return table;
}

const OptionTable<analytics::StuckConfig>& stuck_options() {
  using C = analytics::StuckConfig;
  static const OptionTable<C> table = {
      flag<C>("enabled", &C::enabled, "A sensor that repeats the same value for too long."),
      sensors_option<C>(&C::sensors),
      integer<C>("min_samples", &C::min_samples, between(2, 1e9),
                 "Repeats before it alerts (and `min_duration`)."),
      duration<C>("min_duration", &C::min_duration_ms, {},
                  "How long the value must repeat (and `min_samples`)."),
      number<C>("tolerance", &C::tolerance, at_least(0), "Absolute; 0 means bit-for-bit repeats."),
      severity_option<C>(&C::severity),
  };
  return table;
}

const OptionTable<analytics::SilenceConfig>& silence_options() {
  using C = analytics::SilenceConfig;
  static const OptionTable<C> table = {
      flag<C>("enabled", &C::enabled, "A device that stops reporting."),
      number<C>("intervals", &C::intervals, between(1, 1e6),
                "Silence longer than this many of the device's usual intervals alerts."),
      duration<C>("min_silence", &C::min_silence_ms, {}, "The shortest silence that alerts."),
      integer<C>("warmup", &C::warmup, {}, "Arrivals before the usual interval is trusted."),
      severity_option<C>(&C::severity),
  };
  return table;
}

// `auto`, or a fixed shrinkage towards the diagonal.
void read_shrinkage(analytics::MultivariateConfig& c, const ConfigNode& node) {
  if (node.as<std::string>() == "auto") {
    c.shrinkage.reset();
    return;
  }
  const double value = node.as<double>();
  if (const std::optional<std::string> problem =
          bounds_problem(value, between(0, 0.99), ValueUnit::number)) {
    node.fail(*problem);
  }
  c.shrinkage = value;
}

const OptionTable<analytics::MultivariateConfig>& multivariate_options() {
  using C = analytics::MultivariateConfig;
  static const OptionTable<C> table = {
      flag<C>("mahalanobis", &C::mahalanobis,
              "A sensor vector unusual jointly: d² against the online mean and covariance."),
      flag<C>("pca", &C::pca, "A vector off the correlation structure: the PCA residual."),
      list<C>("sensors", &C::sensors, "Two or more sensors; none listed: every sensor."),
      half_life_option<C>(&C::half_life),
      warmup_option<C>(&C::warmup, between(2, 1e9)),
      integer<C>("refresh_every", &C::refresh_every, between(1, 1e6),
                 "Re-decompose the covariance every this many vectors."),
      custom<C>("shrinkage", "number or `auto`",
                "Towards the diagonal, 0 to 0.99; `auto`: estimated from the data.", read_shrinkage,
                [](C& c) {
                  return c.shrinkage ? fmt::format("`{}`", *c.shrinkage) : std::string("`auto`");
                }),
      number<C>("pca_variance", &C::pca_variance, between(0.01, 0.999),
                "Fraction of variance the retained components keep."),
      rate_option<C>(&C::false_alarm_rate),
      severity_option<C>(&C::severity),
  };
  return table;
}

const OptionTable<analytics::AnomalyConfig>& anomaly_options() {
  using C = analytics::AnomalyConfig;
  static const OptionTable<C> table = {
      flag<C>("enabled", &C::enabled, "The device-level anomaly detector."),
      sensors_option<C>(&C::sensors),
      integer<C>("window", &C::window, between(1, 1024),
                 "Values in the shape the kNN channel compares."),
      integer<C>("memory", &C::memory, between(1, 100000),
                 "Past shapes it compares with (16 B each per sensor)."),
      integer<C>("neighbours", &C::neighbours, at_least(1),
                 "The shape score is the mean distance to this many nearest (at most "
                 "`memory`)."),
      number<C>("half_life", &C::half_life, above(0),
                "Samples behind each channel's own score distribution."),
      integer<C>("warmup", &C::warmup, between(2, 1e9),
                 "Scores a channel learns before it reports."),
      flag<C>("seasonality", &C::seasonality,
              "Daily (and weekly) memory when the sampling interval puts 4..4096 samples in a "
              "day (a week)."),
      integer<C>("learning", &C::learning, between(0, 1e9),
                 "Samples of a device before it reports at all."),
      integer<C>("horizon", &C::horizon, between(0, 1e6),
                 "A reported peak must top this many previous samples' scores."),
      integer<C>("refractory", &C::refractory, between(0, 1e9),
                 "Samples without a new report after an alert."),
      number<C>("threshold", &C::threshold, between(0.01, 0.99),
                "A reported score this high raises the `anomaly` alert."),
      severity_option<C>(&C::severity),
  };
  return table;
}

const OptionTable<analytics::BaselineConfig>& baseline_options() {
  using C = analytics::BaselineConfig;
  static const OptionTable<C> table = {
      integer<C>("samples", &C::samples, {}, "A device's first N samples are commissioning."),
      duration<C>("duration", &C::duration_ms, {}, "... and its first stretch of event time."),
      flag<C>("freeze", &C::freeze,
              "After commissioning the models keep what it taught them instead of adapting "
              "(their half-lives): a slow drift is never learnt as normal. Needs `samples` or "
              "`duration`."),
  };
  return table;
}

const OptionTable<analytics::OperatingStateConfig>& operating_state_options() {
  using C = analytics::OperatingStateConfig;
  static const OptionTable<C> table = {
      text<C>("sensor", &C::sensor,
              "The reading that names the machine's operating state (map text states to "
              "codes with the sensor's `values`). Watched by rules only; empty: none."),
      duration<C>("settle", &C::settle_ms, {},
                  "After each change of state the statistical detectors report nothing for "
                  "this long of event time (they keep learning): a start or a stop moves "
                  "every sensor at once."),
  };
  return table;
}

constexpr std::string_view kMetaPrefix = "meta.";

// "temperature > 90" (also >=, <, <=): sensor, direction, threshold; or the device's own
// threshold, "temperature > meta.max_temperature" (a column of the metadata file).
void parse_when(const ConfigNode& n, RuleConfig& r) {
  const std::string text = n.as<std::string>();
  const std::size_t op = text.find_first_of("<>");
  if (op == std::string::npos) {
    n.fail("expected '<sensor> > <number>' or '<sensor> < <number>'");
  }
  std::size_t value_at = op + 1;
  if (value_at < text.size() && text[value_at] == '=') {
    ++value_at;
  }
  const auto trim = [](std::string s) {
    const std::size_t b = s.find_first_not_of(' ');
    const std::size_t e = s.find_last_not_of(' ');
    return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
  };
  r.sensor = trim(text.substr(0, op));
  r.op = text[op] == '>' ? analytics::RuleOp::above : analytics::RuleOp::below;
  const std::string number = trim(text.substr(value_at));
  if (number.rfind(kMetaPrefix, 0) == 0) {
    r.threshold_meta = number.substr(kMetaPrefix.size());
    if (r.sensor.empty() || r.threshold_meta.empty() ||
        r.threshold_meta.find_first_of(" <>=") != std::string::npos) {
      n.fail(fmt::format("cannot read '{}': expected '<sensor> > meta.<column>'", text));
    }
    return;
  }
  const auto [ptr, ec] = std::from_chars(number.data(), number.data() + number.size(), r.threshold);
  if (r.sensor.empty() || ec != std::errc() || ptr != number.data() + number.size()) {
    n.fail(fmt::format(
        "cannot read '{}': expected '<sensor> > <number>' or '<sensor> > meta.<column>'", text));
  }
}

void read_threshold(RuleConfig& r, const ConfigNode& node, analytics::RuleOp op) {
  r.op = op;
  r.threshold = node.as<double>();
}

const OptionTable<RuleConfig>& rule_options() {
  using analytics::RuleOp;
  static const OptionTable<RuleConfig> table = {
      text<RuleConfig>("name", &RuleConfig::name, "The rule's name; alerts say `rule:<name>`.")
          .required(),
      text<RuleConfig>("sensor", &RuleConfig::sensor, "The sensor, with `above` or `below`."),
      custom<RuleConfig>(
          "above", "number", "Alert while the value is above this.",
          [](RuleConfig& r, const ConfigNode& n) { read_threshold(r, n, RuleOp::above); }),
      custom<RuleConfig>(
          "below", "number", "Alert while the value is below this.",
          [](RuleConfig& r, const ConfigNode& n) { read_threshold(r, n, RuleOp::below); }),
      custom<RuleConfig>("when", "string",
                         "`\"temperature > 90\"` (also `>=`, `<`, `<=`): sensor and threshold in "
                         "one, instead of `sensor` and `above`/`below`. The threshold may be "
                         "the device's own, a number of its metadata: "
                         "`\"bearing_temp > meta.max_bearing_temp\"` (see `metadata`).",
                         [](RuleConfig& r, const ConfigNode& n) { parse_when(n, r); }),
      duration<RuleConfig>("for", &RuleConfig::for_ms, {},
                           "The condition must hold this long (event time)."),
      number<RuleConfig>("clear", &RuleConfig::clear, {},
                         "Hysteresis: the alert stays open until the value is back here. Not "
                         "with a `meta.<column>` threshold (each device's differs).")
          .shown_default("the threshold"),
      severity_option<RuleConfig>(&RuleConfig::severity),
  };
  return table;
}

RuleConfig parse_rule(const ConfigNode& item) {
  RuleConfig r;
  read_options(item, rule_options(), r);
  if (!item.has("when")) {
    if (!item.has("sensor")) {
      item.fail("'sensor' is required");
    }
    if (item.has("above") == item.has("below")) {
      item.fail("needs `when: \"<sensor> > <number>\"`, or `sensor` with one of above/below");
    }
  }
  return r;
}

void parse_rules(const ConfigNode& n, std::vector<RuleConfig>& rules) {
  if (!n.defined()) {
    return;
  }
  rules.clear();  // a profile's rules replace the default profile's
  for (const ConfigNode& item : n.items()) {
    rules.push_back(parse_rule(item));
  }
}

// One section of a profile (commissioning, a detector, the rules): its key, its line in
// the reference, how it is read over the settings it inherits, and its own keys' rows.
// A new detector's options are one table above and one entry in profile_sections().
struct ProfileSection {
  std::string key;
  std::string type;  // "map" or "list"
  std::string summary;
  std::function<void(const ConfigNode&, ProfileConfig&)> read;
  std::function<std::vector<OptionDoc>()> describe;
};

// A map of options; an absent map keeps every inherited setting.
template <typename C>
ProfileSection map_section(std::string key, C ProfileConfig::*member,
                           const OptionTable<C>& (*options)(), std::string summary) {
  const std::string prefix = key + ".";
  return ProfileSection{std::move(key), "map", std::move(summary),
                        [member, options](const ConfigNode& node, ProfileConfig& p) {
                          if (node.defined()) {
                            read_options(node, options(), p.*member);
                          }
                        },
                        [options, prefix] { return describe_options(options(), prefix); }};
}

const std::vector<ProfileSection>& profile_sections() {
  static const std::vector<ProfileSection> sections = {
      map_section("baseline", &ProfileConfig::baseline, baseline_options,
                  "Commissioning: `baseline.*` below."),
      map_section("operating_state", &ProfileConfig::operating_state, operating_state_options,
                  "The machine's operating state: `operating_state.*` below."),
      map_section("anomaly", &ProfileConfig::anomaly, anomaly_options,
                  "The anomaly detector: `anomaly.*` below."),
      map_section("ewma", &ProfileConfig::ewma, ewma_options, "Opt-in: `ewma.*` below."),
      map_section("mad", &ProfileConfig::mad, mad_options, "Opt-in: `mad.*` below."),
      map_section("rate", &ProfileConfig::rate, rate_options, "Opt-in: `rate.*` below."),
      map_section("stuck", &ProfileConfig::stuck, stuck_options, "`stuck.*` below."),
      map_section("silence", &ProfileConfig::silence, silence_options, "`silence.*` below."),
      map_section("multivariate", &ProfileConfig::multivariate, multivariate_options,
                  "Opt-in: `multivariate.*` below."),
      ProfileSection{"rules", "list",
                     "Threshold rules: `rules[].*` below; a profile's rules replace the default "
                     "profile's.",
                     [](const ConfigNode& node, ProfileConfig& p) { parse_rules(node, p.rules); },
                     [] { return describe_options(rule_options(), "rules[]."); }},
  };
  return sections;
}

// The profile's own keys: its sections, which their own tables read.
const OptionTable<ProfileConfig>& profile_options() {
  static const OptionTable<ProfileConfig> table = [] {
    OptionTable<ProfileConfig> keys;
    for (const ProfileSection& section : profile_sections()) {
      keys.push_back(declared<ProfileConfig>(section.key, section.type, section.summary));
    }
    return keys;
  }();
  return table;
}

ProfileConfig parse_profile(const ConfigNode& n, ProfileConfig p) {
  read_options(n, profile_options(), p);
  for (const ProfileSection& section : profile_sections()) {
    section.read(n.child(section.key), p);
  }
  return p;
}

// Fails at the node that analytics::validate() names ("analytics.profiles.x.rules[0].clear:
// why"), so that the message carries its line; the deepest node present when the key
// itself is absent (a default that conflicts with a given value).
[[noreturn]] void fail_at(const ConfigNode& section, const std::string& error) {
  const std::size_t colon = error.find(": ");
  std::string path = colon == std::string::npos ? "" : error.substr(0, colon);
  const std::string why = colon == std::string::npos ? error : error.substr(colon + 2);
  const std::string prefix = "analytics.";
  if (path.rfind(prefix, 0) != 0) {
    section.fail(error);
  }
  path.erase(0, prefix.size());
  ConfigNode at = section;
  std::size_t begin = 0;
  while (begin < path.size()) {
    std::size_t end = path.find('.', begin);
    // Profile names may not contain dots; rule indexes look like rules[3].
    std::string part =
        path.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
    int index = -1;
    if (const std::size_t bracket = part.find('['); bracket != std::string::npos) {
      index = std::atoi(part.c_str() + bracket + 1);
      part.resize(bracket);
    }
    ConfigNode next = at.child(part);
    if (!next.defined()) {
      break;
    }
    if (index >= 0) {
      const std::vector<ConfigNode> items = next.items();
      if (static_cast<std::size_t>(index) >= items.size()) {
        break;
      }
      next = items[static_cast<std::size_t>(index)];
    }
    at = next;
    begin = end == std::string::npos ? path.size() : end + 1;
  }
  at.fail(begin >= path.size() ? why : error);
}

using analytics::AnalyticsConfig;

const OptionTable<AnalyticsConfig>& analytics_options() {
  static const OptionTable<AnalyticsConfig> table = {
      flag<AnalyticsConfig>("enabled", &AnalyticsConfig::enabled,
                            "Whether the analytics run at all.")
          .shown_default("`true` when the section exists"),
      duration<AnalyticsConfig>("window", &AnalyticsConfig::window_ms, above(0),
                                "Tumbling aggregate windows, by event time."),
      duration<AnalyticsConfig>("allowed_lateness", &AnalyticsConfig::allowed_lateness_ms,
                                at_least(0),
                                "How late a sample may still join its window (at most 3 "
                                "windows)."),
      duration<AnalyticsConfig>("idle_eviction", &AnalyticsConfig::idle_eviction_ms, above(0),
                                "A device's analytics state is dropped after this long without "
                                "a sample (a week: a machine stopped over a long weekend keeps "
                                "what its models learnt)."),
      integer<AnalyticsConfig>("max_devices", &AnalyticsConfig::max_devices, between(1, 1e8),
                               "Devices beyond this are not analysed (counted in "
                               "`edgegw_analytics_devices_rejected_total`)."),
      integer<AnalyticsConfig>("max_sensors_per_device", &AnalyticsConfig::max_sensors_per_device,
                               between(1, 256),
                               "Further sensors of a device are ignored (counted in "
                               "`edgegw_analytics_sensors_rejected_total`)."),
      duration<AnalyticsConfig>("alert_update_interval", &AnalyticsConfig::alert_update_interval_ms,
                                {},
                                "An open alert is re-reported at most this often, and only when "
                                "its score grew."),
      integer<AnalyticsConfig>("clear_after_samples", &AnalyticsConfig::clear_after_samples,
                               between(1, 1e6),
                               "Quiet samples (score below 0.8 × threshold) before an alert "
                               "clears."),
      duration<AnalyticsConfig>(
          "checkpoint_interval", &AnalyticsConfig::checkpoint_interval_ms, {},
          "How often the daemon saves the analytics state (every device's detectors, windows, "
          "alerts) to `analytics.checkpoint` in `buffer.directory`; it also saves at a clean "
          "shutdown and restores the file at start, so that a restart does not send the "
          "detectors back to their warm-up. After a crash the state is the last checkpoint's. "
          "`none` (or `0`): never saved nor restored. See "
          "[analytics.md](analytics.md#state-across-restarts).",
          NoneValue::allowed),
      declared<AnalyticsConfig>(
          "profiles", "map",
          "Per device class (a mapping's `analytics_profile`): `profiles.<name>.*` below. "
          "Profiles other than `default` start from `default` and say what differs.")
          .shown_default("`default`"),
      declared<AnalyticsConfig>("maintenance", "list",
                                "Remaining-useful-life models: see `analytics.maintenance`."),
  };
  return table;
}

}  // namespace

analytics::AnalyticsConfig parse_analytics_section(const ConfigNode& node) {
  analytics::AnalyticsConfig c;
  if (!node.defined()) {
    analytics::validate(c);
    return c;
  }
  c.enabled = true;  // a section asks for the analytics
  read_options(node, analytics_options(), c);
  const ConfigNode profiles = node.child("profiles");
  // Other profiles start from the default profile, so they only say what differs.
  ProfileConfig base;
  if (profiles.defined() && profiles.has(analytics::kDefaultProfile)) {
    base = parse_profile(profiles.child(analytics::kDefaultProfile), base);
  }
  c.profiles[analytics::kDefaultProfile] = base;
  if (profiles.defined()) {
    for (const auto& [name, profile] : profiles.entries()) {
      if (name != analytics::kDefaultProfile) {
        c.profiles[name] = parse_profile(profile, base);
      }
    }
  }
  const std::vector<std::string> errors = analytics::validate(c);
  if (!errors.empty()) {
    fail_at(node, errors.front());
  }
  return c;
}

std::vector<OptionDoc> describe_analytics_section() {
  return describe_options(analytics_options());
}

std::vector<OptionDoc> describe_analytics_profile() {
  std::vector<OptionDoc> rows = describe_options(profile_options());
  for (const ProfileSection& section : profile_sections()) {
    const std::vector<OptionDoc> keys = section.describe();
    rows.insert(rows.end(), keys.begin(), keys.end());
  }
  return rows;
}

}  // namespace edgegw::config
