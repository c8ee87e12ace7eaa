// The model-file loader (JSON): a ModelFileError is the clean refusal; anything else
// escaping is a finding. A model it accepts must also save and load again.

#include <string>

#include "fuzz_target.hpp"
#include "models/model_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const auto model = edgegw::models::model_from_json(text, "fuzz.json");
    (void)edgegw::models::model_from_json(edgegw::models::model_to_json(model), "saved.json");
  } catch (const edgegw::models::ModelFileError&) {
    // the refusal a user sees, naming the file and what is wrong
  }
  return 0;
}
