#pragma once
// Untrusted text (device ids, topics, payloads) on its way into a record or a log line:
// whether it is valid UTF-8, and a printable, bounded rendering of it. The one home of
// both, so that the dead-letter encoder, the mapper's id check and every log line that
// names a topic agree on what is safe.

#include <cstddef>
#include <string>
#include <string_view>

namespace edgegw {

// Strict UTF-8: no overlong forms, no surrogates, nothing beyond U+10FFFF.
[[nodiscard]] bool is_valid_utf8(std::string_view text);

// Whether `text` holds a C0 control character or DEL (U+0000..U+001F, U+007F).
[[nodiscard]] bool has_control_characters(std::string_view text);

// `text` fit for one log line: control characters (and, when the text is not valid
// UTF-8, every byte from 0x80) written as \xNN, a backslash as \\, and cut after about
// `max_bytes` with a note of how much was left out. A hostile topic can then neither
// forge log lines nor fill the journal.
[[nodiscard]] std::string printable(std::string_view text, std::size_t max_bytes = 200);

}  // namespace edgegw
