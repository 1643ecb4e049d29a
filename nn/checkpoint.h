// Model checkpoints: nn::save writes every parameter and buffer of a module to one file
// (format: docs/checkpoint-format.md), atomically; nn::load validates the whole file against the
// module before it changes anything.
#pragma once

#include <string>

#include "nn/module.h"

namespace minidl::nn {

/// Writes the module's parameters and buffers to `path` through a temporary file and a rename,
/// so `path` holds either the old file or the complete new one. Throws minidl::Error.
void save(const Module& module, const std::string& path);

/// Reads a checkpoint written by save into the module's existing tensors. The file's magic,
/// version, length, checksum, and every entry's name, kind and shape are checked first; on any
/// problem it throws minidl::Error naming the file (and the entry) and leaves the module as it was.
void load(Module& module, const std::string& path);

/// The bytes nn::save would write for `module` (checksum included).
std::string encode(const Module& module);

/// Checks that checkpoint `bytes` fit `module` (everything load checks) without changing it;
/// `source` names the bytes in errors. Throws minidl::Error.
void check_bytes(const Module& module, const std::string& bytes, const std::string& source);

/// Loads checkpoint `bytes` (the content of a file written by save) into the module, all or
/// nothing, as load does; `source` names the bytes in errors.
void load_bytes(Module& module, const std::string& bytes, const std::string& source);

}  // namespace minidl::nn
