// dist::broadcast_parameters: makes every rank's model identical to the root's at the start of
// data-parallel training, after checking that all ranks built the same model.
#pragma once

#include "nn/module.h"

namespace minidl::dist {

/// Checks that every rank's module has the same parameter and buffer paths and shapes (throwing
/// minidl::Error on every rank, naming the first differing rank, path and both shapes, when they
/// do not), then copies the root's parameter and buffer values to every other rank. A collective:
/// every rank must call it.
void broadcast_parameters(const nn::Module& module, int root = 0);

}  // namespace minidl::dist
