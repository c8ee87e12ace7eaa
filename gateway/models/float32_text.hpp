#pragma once
// Weights as text, compactly: little-endian IEEE-754 float32 values in base64 (5.3
// characters a weight instead of ~20 for a decimal double). Only for values that a float
// holds exactly (the trainer rounds a model's weights when it is meant to be stored so),
// so that a loaded model predicts bit for bit as the trained one.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace edgegw::models {

// Whether every value is exactly a float32 (finite or not), and so encodable losslessly.
[[nodiscard]] bool exactly_float32(const std::vector<double>& values);

// Precondition: exactly_float32(values).
[[nodiscard]] std::string encode_float32(const std::vector<double>& values);

// The values, or nullopt when the text is not base64 of whole float32 values.
[[nodiscard]] std::optional<std::vector<double>> decode_float32(std::string_view text);

}  // namespace edgegw::models
