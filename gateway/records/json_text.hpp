#pragma once
// JSON values appended to a text, byte for byte as nlohmann::json's dump_record() writes
// them, for the records encoded on every message without building a document (a DOM of
// std::map nodes costs more than everything else the gateway does with a message).

#include <cstdint>
#include <string>
#include <string_view>

namespace edgegw::records {

// A string in quotes. Plain printable ASCII is copied as it is; anything else (escapes,
// control characters, UTF-8, invalid bytes) goes through nlohmann's serializer.
void append_json_string(std::string& out, std::string_view text);

// A number as nlohmann writes a double: shortest round-trip digits, "null" if not finite.
void append_json_number(std::string& out, double value);

void append_json_integer(std::string& out, std::int64_t value);

}  // namespace edgegw::records
