// Optimizer state files: save_state / load_state write and read an optimizer's StateDict in the
// little binary format documented in docs/optimizer-state-format.md (magic, version, kind, step
// count, the parameter groups with their learning rates and options, optimizer-wide fields,
// per-parameter shapes and fields, trailing CRC-32). Version-1 files (one learning rate, no
// groups or options) are still read.
// Files are written atomically (temp file + rename); loading checks the whole file before the
// optimizer is touched, so a bad file never leaves it half-restored.
#pragma once

#include <cstdint>
#include <string>

#include "optim/optimizer.h"
#include "optim/state_dict.h"

namespace minidl::optim {

/// Version of the state file format written by this build (it also reads version 1).
inline constexpr uint32_t kStateFormatVersion = 2;

/// Writes the optimizer's state to `path` atomically; throws minidl::Error on I/O failure.
void save_state(const Optimizer& optimizer, const std::string& path);

/// Restores the state saved in `path`; any problem (missing file, magic, version, kind,
/// parameter count, shape, field, checksum, truncation) throws minidl::Error naming the file and
/// the entry, and leaves the optimizer unchanged.
void load_state(Optimizer& optimizer, const std::string& path);

/// The bytes of a state file holding `dict` (which must have its options), checksum included.
std::string encode_state(const StateDict& dict);

/// Parses and checks the bytes of a state file of version 1 or 2, its values too (counters in
/// [0, 2^53], finite numbers, no negative sum or mean of squares); `source` names it in errors.
StateDict decode_state(const std::string& bytes, const std::string& source);

}  // namespace minidl::optim
