// dist::make_sampler: a data::DistributedSampler for this process's rank in MPI_COMM_WORLD.
#pragma once

#include <memory>

#include "data/sampler.h"

namespace minidl::dist {

/// A DistributedSampler with `options`' world and rank replaced by this process's.
std::shared_ptr<data::DistributedSampler> make_sampler(data::DistributedSamplerOptions options);

}  // namespace minidl::dist
