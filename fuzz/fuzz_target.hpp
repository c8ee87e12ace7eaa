#pragma once
// The one entry point every target in fuzz/ defines. libFuzzer calls it with its
// mutated inputs; replay_main.cpp calls it with the files of a corpus, so that the
// normal build checks every seed and regression input without libFuzzer.
//
// A target returns 0 for every input it handled (a clean error counts as handled) and
// lets anything else escape: an unexpected exception, a crash or a sanitizer report is
// the finding.

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);
