#pragma once
// Splitting one line of delimiter-separated text (CSV rows, comma lists in the config)
// into its fields: the one splitter that MQTT payloads, the analyze command's input and
// the training data readers share, so that they agree on what a row is.
//
// Deliberately no quoting: no caller's format has quoted fields (device payloads and
// the datasets are numbers and names), and treating '"' as data keeps a row's field
// count a plain count of delimiters.

#include <string_view>
#include <vector>

namespace edgegw {

// The fields of `line`, as views into it, split at every `delimiter`: "a,,b" has three
// fields, the middle one empty, and "" has one empty field, so that the count is always
// one more than the delimiters. Fields are not trimmed: whether " 1" or "\r" matter is
// the caller's format.
std::vector<std::string_view> split_fields(std::string_view line, char delimiter = ',');

// The same into `fields` (cleared first), for per-message callers that reuse the vector.
void split_fields(std::string_view line, char delimiter, std::vector<std::string_view>& fields);

}  // namespace edgegw
