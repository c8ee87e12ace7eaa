#include "models/model_file.hpp"

#include <cstdint>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include "models/float32_text.hpp"

namespace edgegw::models {
namespace {

using analytics::RulModel;
using nlohmann::json;

json regimes_to_json(const analytics::OperatingRegimes& r) {
  return json{{"settings", r.settings},           {"setting_mean", r.setting_mean},
              {"setting_scale", r.setting_scale}, {"centers", r.centers},
              {"sensor_mean", r.sensor_mean},     {"sensor_std", r.sensor_std}};
}

analytics::OperatingRegimes regimes_from_json(const json& j) {
  analytics::OperatingRegimes r;
  j.at("settings").get_to(r.settings);
  j.at("setting_mean").get_to(r.setting_mean);
  j.at("setting_scale").get_to(r.setting_scale);
  j.at("centers").get_to(r.centers);
  j.at("sensor_mean").get_to(r.sensor_mean);
  j.at("sensor_std").get_to(r.sensor_std);
  return r;
}

// An int field. The JSON library converts a float to int with a plain cast, undefined
// beyond int's range (a format_version of 1e300): an integer field must be a JSON integer
// that fits.
int integer(const json& j, const char* what, const std::string& source) {
  if (j.is_number_integer()) {
    const auto v = j.get<std::int64_t>();
    if (v >= std::numeric_limits<int>::min() && v <= std::numeric_limits<int>::max()) {
      return static_cast<int>(v);
    }
  }
  throw ModelFileError(source + ": " + what + " is not an integer that fits: " +
                       (j.is_number() ? j.dump() : std::string(j.type_name())));
}

std::vector<int> integers(const json& j, const char* what, const std::string& source) {
  if (!j.is_array()) {
    throw ModelFileError(source + ": " + what + " is not a list");
  }
  std::vector<int> out;
  for (const json& item : j) {
    out.push_back(integer(item, what, source));
  }
  return out;
}

json layer_to_json(const analytics::DenseLayer& l) {
  json j = {{"inputs", l.inputs}, {"outputs", l.outputs}, {"activation", l.activation}};
  if (l.is_convolution()) {
    j["kernel"] = l.kernel;
    j["channels"] = l.channels;
  }
  if (exactly_float32(l.weights) && exactly_float32(l.bias)) {
    j["weights_f32"] = encode_float32(l.weights);
    j["bias_f32"] = encode_float32(l.bias);
  } else {
    j["weights"] = l.weights;
    j["bias"] = l.bias;
  }
  return j;
}

// A list of numbers, as decimals under `key` or as base64 float32 under `key`_f32.
std::vector<double> numbers(const json& l, const std::string& key, const std::string& source) {
  const std::string packed = key + "_f32";
  if (l.contains(packed)) {
    std::optional<std::vector<double>> values =
        l.at(packed).is_string() ? decode_float32(l.at(packed).get<std::string>()) : std::nullopt;
    if (!values) {
      throw ModelFileError(source + ": a layer's " + packed + " is not base64 of float32 values");
    }
    return std::move(*values);
  }
  return l.at(key).get<std::vector<double>>();
}

analytics::DenseLayer layer_from_json(const json& l, const std::string& source) {
  analytics::DenseLayer layer;
  layer.inputs = integer(l.at("inputs"), "a layer's inputs", source);
  layer.outputs = integer(l.at("outputs"), "a layer's outputs", source);
  l.at("activation").get_to(layer.activation);
  if (l.contains("kernel")) {
    layer.kernel = integer(l.at("kernel"), "a layer's kernel", source);
    layer.channels = integer(l.at("channels"), "a layer's channels", source);
  }
  layer.weights = numbers(l, "weights", source);
  layer.bias = numbers(l, "bias", source);
  return layer;
}

}  // namespace

std::string model_to_json(const RulModel& m) {
  json members = json::array();
  for (const analytics::Network& n : m.members) {
    json layers = json::array();
    for (const analytics::DenseLayer& l : n.layers) {
      layers.push_back(layer_to_json(l));
    }
    members.push_back({{"layers", layers}});
  }
  const json doc = {
      {"format", kModelFormatTag},
      {"format_version", analytics::kModelFormatVersion},
      {"name", m.name},
      {"version", m.version},
      {"kind", m.kind},
      {"unit", m.unit},
      {"rul_cap", m.rul_cap},
      {"parameters", m.parameter_count()},
      {"features",
       {{"sensors", m.features.sensors},
        {"windows", m.features.windows},
        {"sequence", m.features.sequence},
        {"smoothing", m.features.smoothing},
        {"stats", {"ewma", "mean", "slope", "std", "min", "max"}},
        {"feature_names", m.features.feature_names()},
        {"regimes", regimes_to_json(m.features.regimes)}}},
      {"normalization",
       {{"mean", m.feature_mean}, {"scale", m.feature_scale}, {"target_scale", m.target_scale}}},
      {"members", members},
      {"band",
       {{"upper_edges", m.band.upper_edges}, {"sigma", m.band.sigma}, {"z", analytics::kBandZ}}},
      {"metrics", m.metrics},
      {"provenance", m.provenance}};
  return doc.dump(1);
}

RulModel model_from_json(const std::string& text, const std::string& source) {
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::exception& e) {
    // Not only parse_error: a number beyond a double (1e400) is an out_of_range.
    throw ModelFileError(source + ": not a valid JSON model file (" + e.what() + ")");
  }
  RulModel m;
  try {
    if (!doc.is_object() || doc.value("format", std::string()) != kModelFormatTag) {
      throw ModelFileError(source + ": not an edgegw model file (\"format\" is not \"" +
                           std::string(kModelFormatTag) + "\")");
    }
    const int version = integer(doc.at("format_version"), "format_version", source);
    if (version < analytics::kOldestModelFormatVersion ||
        version > analytics::kModelFormatVersion) {
      throw ModelFileError(source + ": model format_version " + std::to_string(version) +
                           " is not supported; this edgegw reads versions " +
                           std::to_string(analytics::kOldestModelFormatVersion) + " to " +
                           std::to_string(analytics::kModelFormatVersion) +
                           " (retrain the model with this edgegw's `edgegw train`)");
    }
    doc.at("name").get_to(m.name);
    doc.at("version").get_to(m.version);
    doc.at("kind").get_to(m.kind);
    doc.at("unit").get_to(m.unit);
    doc.at("rul_cap").get_to(m.rul_cap);
    const json& f = doc.at("features");
    f.at("sensors").get_to(m.features.sensors);
    m.features.windows = integers(f.at("windows"), "features.windows", source);
    if (f.contains("sequence")) {  // format 2
      m.features.sequence = integer(f.at("sequence"), "features.sequence", source);
    }
    f.at("smoothing").get_to(m.features.smoothing);
    m.features.regimes = regimes_from_json(f.at("regimes"));
    const json& n = doc.at("normalization");
    n.at("mean").get_to(m.feature_mean);
    n.at("scale").get_to(m.feature_scale);
    n.at("target_scale").get_to(m.target_scale);
    for (const json& member : doc.at("members")) {
      analytics::Network net;
      for (const json& l : member.at("layers")) {
        net.layers.push_back(layer_from_json(l, source));
      }
      m.members.push_back(std::move(net));
    }
    doc.at("band").at("upper_edges").get_to(m.band.upper_edges);
    doc.at("band").at("sigma").get_to(m.band.sigma);
    if (doc.contains("metrics"))
      doc.at("metrics").get_to(m.metrics);
    if (doc.contains("provenance"))
      doc.at("provenance").get_to(m.provenance);
  } catch (const json::exception& e) {
    throw ModelFileError(source + ": malformed model (" + e.what() + ")");
  }
  if (const std::string why = analytics::check_model(m); !why.empty()) {
    throw ModelFileError(source + ": " + why);
  }
  return m;
}

void save_model(const RulModel& model, const std::filesystem::path& path) {
  const std::filesystem::path tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << model_to_json(model) << '\n';
    if (!out.flush())
      throw ModelFileError(tmp.string() + ": cannot write");
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec)
    throw ModelFileError(path.string() + ": cannot replace (" + ec.message() + ")");
}

RulModel load_model(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in)
    throw ModelFileError(path.string() + ": cannot open model file");
  std::ostringstream text;
  text << in.rdbuf();
  return model_from_json(text.str(), path.string());
}

}  // namespace edgegw::models
