#pragma once
// The optional bearer token of the operations endpoint (http.token): whether a request's
// Authorization field carries it. Compared in constant time, so that the time an answer
// takes says nothing about how much of a guess was right.

#include <string_view>

namespace edgegw::http {

// Whether `a` and `b` are equal, in a time that depends on their lengths only.
[[nodiscard]] bool constant_time_equal(std::string_view a, std::string_view b);

// Whether `authorization` is `Bearer <token>` (the scheme in any case, RFC 9110).
[[nodiscard]] bool carries_bearer_token(std::string_view authorization, std::string_view token);

}  // namespace edgegw::http
