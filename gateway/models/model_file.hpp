#pragma once
// Remaining-useful-life model files: versioned, self-describing JSON. A file carries the
// format tag and version, the feature spec (sensors, windows, operating regimes), the
// feature normalization, every network's architecture and weights, the uncertainty band,
// and the training figures and provenance, so that a reader needs nothing else.
//
//   { "format": "edgegw-rul-model", "format_version": 2, "name": ..., "version": ...,
//     "kind": "mlp", "unit": "cycles", "rul_cap": 125,
//     "features": { "sensors": [...], "windows": [...], "sequence": 0, "smoothing": 0.3,
//                   "feature_names": [...], "regimes": { ... } },
//     "normalization": { "mean": [...], "scale": [...], "target_scale": 125 },
//     "members": [ { "layers": [ { "inputs", "outputs", "activation", ["kernel", "channels"],
//                                  "weights" | "weights_f32", "bias" | "bias_f32" } ] } ],
//     "band": { "upper_edges": [...], "sigma": [...], "z": 1.645 },
//     "metrics": { ... }, "provenance": { ... } }
//
// A layer's weights are decimal doubles, or (when every one is exactly a float32, as the
// trainer makes them) base64 of little-endian float32 under "weights_f32": a quarter of
// the size, still exact. Version 1 files (no sequence, no convolutions, decimal weights)
// are read as well.
//
// Control path: load and save throw ModelFileError naming the file and what is wrong.

#include <filesystem>
#include <stdexcept>
#include <string>

#include "edgegw/analytics/maintenance_model.hpp"

namespace edgegw::models {

inline constexpr const char* kModelFormatTag = "edgegw-rul-model";

class ModelFileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Writes atomically (a temporary file renamed over the target).
void save_model(const analytics::RulModel& model, const std::filesystem::path& path);
// Reads and checks a model: format tag, version, and consistent shapes.
[[nodiscard]] analytics::RulModel load_model(const std::filesystem::path& path);

// The same, to and from text (for tests and for embedding).
[[nodiscard]] std::string model_to_json(const analytics::RulModel& model);
[[nodiscard]] analytics::RulModel model_from_json(const std::string& text,
                                                  const std::string& source);

}  // namespace edgegw::models
