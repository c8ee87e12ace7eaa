#include "mapping/message_field.hpp"

#include <fmt/format.h>

#include "mapping/mapping_errc.hpp"

namespace edgegw::mapping {
namespace {

constexpr std::string_view kContentType = "$content_type";
constexpr std::string_view kUserPrefix = "$user.";

}  // namespace

const std::string* MessageField::find(const MessageProperties& properties) const {
  if (kind == Kind::user_property) {
    return properties.user_property(name);
  }
  return properties.content_type.empty() ? nullptr : &properties.content_type;
}

std::string_view MessageField::tag_name() const {
  return kind == Kind::user_property ? std::string_view(name) : kContentType.substr(1);
}

Result<MessageField> parse_message_field(std::string_view field) {
  if (field == kContentType) {
    return MessageField{MessageField::Kind::content_type, ""};
  }
  if (field.rfind(kUserPrefix, 0) == 0 && field.size() > kUserPrefix.size()) {
    return MessageField{MessageField::Kind::user_property,
                        std::string(field.substr(kUserPrefix.size()))};
  }
  return make_error(MappingErrc::bad_field,
                    fmt::format("'{}' is not a message field; use $content_type or "
                                "$user.<name> (MQTT 5 properties)",
                                field));
}

}  // namespace edgegw::mapping
