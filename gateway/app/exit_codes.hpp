#pragma once
// The exit codes of every subcommand, in one place; docs/operations.md ("Exit codes")
// lists them for users and scripts.

namespace edgegw::app::exit_code {

inline constexpr int ok = 0;
// The command ran and failed (the log says why); test-mapping: nothing was mapped.
inline constexpr int failure = 1;
// The command line is wrong: an unknown option, a missing argument, no subcommand.
inline constexpr int usage = 2;
// test-mapping: the message was mapped, but some of it was dead-lettered. Not 2, which
// a script must be able to read as "the command line was wrong".
inline constexpr int partly_mapped = 3;
// run: another edgegw holds the buffer directory's lock. EX_TEMPFAIL from sysexits.h:
// nothing is wrong with this instance, it may start once the other has stopped.
inline constexpr int buffer_in_use = 75;
// The config file is wrong or unreadable: EX_CONFIG from sysexits.h, as Vector uses it.
inline constexpr int config = 78;

}  // namespace edgegw::app::exit_code
