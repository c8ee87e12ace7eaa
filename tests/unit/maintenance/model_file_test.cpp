#include <catch2/catch.hpp>
#include <filesystem>

#include "edgegw/analytics/maintenance_training.hpp"
#include "models/float32_text.hpp"
#include "models/model_file.hpp"
#include "support/child_process.hpp"
#include "support/temp_dir.hpp"
#include "synthetic_runs.hpp"

namespace edgegw::models {
namespace {

analytics::RulModel small_model() {
  analytics::TrainingConfig c;
  c.settings = {"alt"};
  c.windows = {5, 10};
  c.rul_cap = 60.0;
  c.hidden = {8};
  c.ensemble = 2;
  c.max_epochs = 5;
  return analytics::train_rul_model(testing::synthetic_runs(8, 3, 31), c).model;
}

analytics::RulModel small_cnn_model() {
  analytics::TrainingConfig c;
  c.kind = "cnn";
  c.settings = {"alt"};
  c.sequence = 8;
  c.conv_filters = {3, 1};
  c.kernel = 3;
  c.cnn_hidden = {6};
  c.rul_cap = 60.0;
  c.ensemble = 2;
  c.max_epochs = 3;
  return analytics::train_rul_model(testing::synthetic_runs(8, 3, 31), c).model;
}

TEST_CASE("a saved model loads back and predicts exactly the same", "[unit]") {
  const edgegw::test::TempDir dir;
  const analytics::RulModel model = small_model();
  const auto path = dir.path() / "model.json";
  save_model(model, path);
  const analytics::RulModel loaded = load_model(path);
  CHECK(loaded.name == model.name);
  CHECK(loaded.features.sensors == model.features.sensors);
  CHECK(loaded.features.regimes.regime_count() == 3);
  CHECK(loaded.metrics == model.metrics);
  const analytics::RunDataset test = testing::synthetic_runs(6, 3, 32);
  const auto a = analytics::predict_last(model, test);
  const auto b = analytics::predict_last(loaded, test);
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    CHECK(a[i].rul == b[i].rul);  // bit for bit: doubles round-trip through the JSON
    CHECK(a[i].lower == b[i].lower);
  }
  CHECK(model_to_json(loaded) == model_to_json(model));
}

TEST_CASE("a CNN model is stored as float32 and loads back bit for bit", "[unit]") {
  const edgegw::test::TempDir dir;
  const analytics::RulModel model = small_cnn_model();
  REQUIRE(model.members.size() == 2);
  REQUIRE(model.members[0].layers[0].kernel == 3);
  const std::string text = model_to_json(model);
  CHECK(text.find("\"weights_f32\"") != std::string::npos);
  CHECK(text.find("\"sequence\": 8") != std::string::npos);
  save_model(model, dir.path() / "cnn.json");
  const analytics::RulModel loaded = load_model(dir.path() / "cnn.json");
  CHECK(loaded.features.sequence == 8);
  // The sequence is normalized within each operating regime, as window statistics are.
  CHECK(loaded.features.regimes.regime_count() == 3);
  for (std::size_t m = 0; m < model.members.size(); ++m) {
    for (std::size_t l = 0; l < model.members[m].layers.size(); ++l) {
      CHECK(loaded.members[m].layers[l].weights == model.members[m].layers[l].weights);
      CHECK(loaded.members[m].layers[l].bias == model.members[m].layers[l].bias);
      CHECK(loaded.members[m].layers[l].kernel == model.members[m].layers[l].kernel);
    }
  }
  const analytics::RunDataset test = testing::synthetic_runs(6, 3, 32);
  const auto a = analytics::predict_last(model, test);
  const auto b = analytics::predict_last(loaded, test);
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    CHECK(a[i].rul == b[i].rul);
  }
  CHECK(model_to_json(loaded) == text);
}

TEST_CASE("a damaged CNN model file names what is wrong", "[unit]") {
  const std::string good = model_to_json(small_cnn_model());
  const auto with = [&good](const std::string& from, const std::string& to) {
    std::string text = good;
    REQUIRE(text.find(from) != std::string::npos);
    return text.replace(text.find(from), from.size(), to);
  };
  CHECK_THROWS_WITH(model_from_json(with("\"weights_f32\": \"", "\"weights_f32\": \"*"), "m"),
                    Catch::Contains("m: a layer's weights_f32 is not base64 of float32 values"));
  CHECK_THROWS_WITH(model_from_json(with("\"kernel\": 3", "\"kernel\": 5"), "m"),
                    Catch::Contains("member 0 layer 0: shape does not match"));
  CHECK_THROWS_WITH(model_from_json(with("\"sequence\": 8", "\"sequence\": 9"), "m"),
                    Catch::Contains("normalization has"));
  CHECK_THROWS_WITH(model_from_json(with("\"kernel\": 3", "\"kernel\": 3.5"), "m"),
                    Catch::Contains("kernel is not an integer that fits"));
}

TEST_CASE("float32 text round-trips and refuses what is not base64 of whole floats", "[unit]") {
  const std::vector<double> values = {0.0, -1.5, 0x1p-70, 0x1.8p100, 0.1F, -0.0};
  REQUIRE(exactly_float32(values));
  CHECK_FALSE(exactly_float32({0.1}));
  for (std::size_t n = 0; n <= values.size(); ++n) {  // every padding length
    const std::vector<double> part(values.begin(), values.begin() + static_cast<long>(n));
    const auto back = decode_float32(encode_float32(part));
    REQUIRE(back);
    CHECK(*back == part);
  }
  CHECK_FALSE(decode_float32("AAA"));       // not whole groups of 4 characters
  CHECK_FALSE(decode_float32("AAAAAAA="));  // 5 bytes: one float and part of another
  CHECK_FALSE(decode_float32("AA=A"));      // padding in the middle
  CHECK_FALSE(decode_float32("AA AA"));
}

TEST_CASE("a model of another format version is refused naming both versions", "[unit]") {
  const edgegw::test::TempDir dir;
  std::string text = model_to_json(small_model());
  const std::string from = "\"format_version\": 2";
  REQUIRE(text.find(from) != std::string::npos);
  text.replace(text.find(from), from.size(), "\"format_version\": 3");
  const auto path = dir.write("future.json", text);
  CHECK_THROWS_WITH(load_model(path), Catch::Contains("format_version 3 is not supported") &&
                                          Catch::Contains("reads versions 1 to 2") &&
                                          Catch::Contains("future.json"));
}

TEST_CASE("a corrupt or inconsistent model file gives a clear error", "[unit]") {
  const edgegw::test::TempDir dir;
  const std::string good = model_to_json(small_model());
  CHECK_THROWS_WITH(load_model(dir.write("cut.json", good.substr(0, good.size() / 2))),
                    Catch::Contains("cut.json") && Catch::Contains("not a valid JSON"));
  CHECK_THROWS_WITH(load_model(dir.write("other.json", "{\"hello\": 1}")),
                    Catch::Contains("not an edgegw model file"));
  std::string bad = good;
  const std::string from = "\"activation\": \"relu\"";
  bad.replace(bad.find(from), from.size(), "\"activation\": \"tanh\"");
  CHECK_THROWS_WITH(load_model(dir.write("act.json", bad)), Catch::Contains("tanh"));
  std::string missing = good;
  missing.replace(missing.find("\"rul_cap\""), 9, "\"rul_caq\"");
  CHECK_THROWS_WITH(load_model(dir.write("key.json", missing)), Catch::Contains("rul_cap"));
  CHECK_THROWS_WITH(load_model(dir.path() / "absent.json"), Catch::Contains("cannot open"));
}

TEST_CASE("a number beyond a double is a model file error and no crash", "[unit]") {
  // Found by fuzzing (fuzz/model_file_fuzz.cpp): the JSON parser reports it as out_of_range, which
  // escaped the loader's catch of parse errors.
  CHECK_THROWS_AS(model_from_json(R"({"format": 1e400})", "big.json"), ModelFileError);
  CHECK_THROWS_WITH(model_from_json("[1e400]", "big.json"),
                    Catch::Contains("big.json") && Catch::Contains("not a valid JSON"));
}

TEST_CASE("an integer field beyond int or with a fraction is a model file error", "[unit]") {
  // Found with fuzz/model_file_fuzz.cpp under UBSan: the JSON library casts 1e300 to int, which
  // is undefined behaviour (UBSan stops the process).
  const std::string good = model_to_json(small_model());
  const auto with = [&](const std::string& from, const std::string& to) {
    std::string text = good;
    REQUIRE(text.find(from) != std::string::npos);
    return text.replace(text.find(from), from.size(), to);
  };
  CHECK_THROWS_WITH(
      model_from_json(with("\"format_version\": 2", "\"format_version\": 1e300"), "m"),
      Catch::Contains("format_version is not an integer that fits: 1e+300"));
  CHECK_THROWS_WITH(model_from_json(with("\"inputs\": ", "\"inputs\": 4294967296.0, \"x\": "), "m"),
                    Catch::Contains("a layer's inputs is not an integer that fits"));
  CHECK_THROWS_WITH(model_from_json(with("\"inputs\": ", "\"inputs\": 3000000000, \"x\": "), "m"),
                    Catch::Contains("a layer's inputs is not an integer that fits: 3000000000"));
  CHECK_THROWS_WITH(model_from_json(with("\"windows\": [", "\"windows\": [2.5, "), "m"),
                    Catch::Contains("features.windows is not an integer that fits: 2.5"));
  CHECK_NOTHROW(model_from_json(good, "m"));
}

TEST_CASE("the model file describes itself", "[unit]") {
  const edgegw::test::TempDir dir;
  save_model(small_model(), dir.path() / "m.json");
  const std::string text = edgegw::test::read_file(dir.path() / "m.json");
  for (const char* key :
       {"\"format\": \"edgegw-rul-model\"", "\"feature_names\"", "\"normalization\"", "\"members\"",
        "\"metrics\"", "\"band\"", "wear.slope@10"}) {
    CHECK(text.find(key) != std::string::npos);
  }
}

}  // namespace
}  // namespace edgegw::models

namespace edgegw::models {

TEST_CASE("the models shipped in models/ load, with their units and relative band bins", "[unit]") {
  const analytics::RulModel turbofan =
      load_model(EDGEGW_SOURCE_DIR "/models/turbofan-fd001-ridge.json");
  CHECK(turbofan.unit == "cycles");
  // The default FD001 model (the MLP ensemble, float32 weights) fits the edge's 1 MB.
  const std::filesystem::path mlp = EDGEGW_SOURCE_DIR "/models/turbofan-fd001-mlp.json";
  CHECK(std::filesystem::file_size(mlp) <= 1'000'000);
  CHECK(load_model(mlp).members.size() == 5);
  const analytics::RulModel pump = load_model(EDGEGW_SOURCE_DIR "/models/pump-rul.json");
  CHECK(pump.unit == "hours");
  CHECK(pump.rul_cap == 4.0);
  // The band's bins are fractions of the cap: an hours model gets as many as a cycles one.
  REQUIRE(pump.band.upper_edges.size() == 5);
  CHECK(pump.band.upper_edges[0] == Approx(0.12 * 4.0));
  CHECK(pump.band.upper_edges[3] == Approx(0.72 * 4.0));
  // Each bin learned its own spread (with fixed bins in cycles all of them shared one).
  CHECK(pump.band.sigma[0] != pump.band.sigma[2]);
}

}  // namespace edgegw::models
