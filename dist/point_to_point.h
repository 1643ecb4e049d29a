// dist::send / dist::recv: one tensor from one rank to another (MPI point-to-point), for model
// parallelism such as examples/pipeline_lenet. A message carries its shape, so the receiver
// need not know it in advance.
#pragma once

#include "core/tensor.h"

namespace minidl::dist {

/// Sends `tensor`'s shape and values to rank `destination` (blocking until the buffers can be
/// reused). Not recorded by autograd.
void send(const Tensor& tensor, int destination, int tag = 0);

/// Receives a tensor sent with send() from rank `source` with the same tag; a new leaf tensor.
Tensor recv(int source, int tag = 0);

}  // namespace minidl::dist
