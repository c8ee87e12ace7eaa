#include "kafka/produce.hpp"

#include <array>

namespace edgegw::kafka {

rd_kafka_resp_err_t produce(rd_kafka_t* producer, const OutgoingMessage& message) {
  std::array<rd_kafka_vu_t, 10> vus{};
  std::size_t n = 0;
  auto next = [&](rd_kafka_vtype_t type) -> rd_kafka_vu_t& {
    rd_kafka_vu_t& vu = vus.at(n++);
    vu.vtype = type;
    return vu;
  };
  next(RD_KAFKA_VTYPE_TOPIC).u.cstr = message.topic;
  next(RD_KAFKA_VTYPE_MSGFLAGS).u.i = RD_KAFKA_MSG_F_COPY;
  rd_kafka_vu_t& key = next(RD_KAFKA_VTYPE_KEY);
  key.u.mem.ptr = const_cast<char*>(message.key.data());  // copied by F_COPY, never written
  key.u.mem.size = message.key.size();
  rd_kafka_vu_t& value = next(RD_KAFKA_VTYPE_VALUE);
  value.u.mem.ptr = const_cast<char*>(message.value.data());
  value.u.mem.size = message.value.size();
  if (message.header_list != nullptr) {
    next(RD_KAFKA_VTYPE_HEADERS).u.headers = message.header_list;
  } else {
    for (const Header& h : message.headers) {
      if (h.name != nullptr) {
        rd_kafka_vu_t& header = next(RD_KAFKA_VTYPE_HEADER);
        header.u.header.name = h.name;
        header.u.header.val = h.value.data();
        header.u.header.size = static_cast<ssize_t>(h.value.size());
      }
    }
  }
  if (message.timestamp_ms != 0) {
    next(RD_KAFKA_VTYPE_TIMESTAMP).u.i64 = message.timestamp_ms;
  }
  next(RD_KAFKA_VTYPE_OPAQUE).u.ptr = message.opaque;
  rd_kafka_error_t* error = rd_kafka_produceva(producer, vus.data(), n);
  if (error == nullptr) {
    return RD_KAFKA_RESP_ERR_NO_ERROR;
  }
  const rd_kafka_resp_err_t code = rd_kafka_error_code(error);
  rd_kafka_error_destroy(error);
  if (message.header_list != nullptr) {
    rd_kafka_headers_destroy(message.header_list);  // librdkafka takes it only on success
  }
  return code;
}

}  // namespace edgegw::kafka
