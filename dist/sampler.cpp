// This rank's DistributedSampler (see sampler.h).
#include "dist/sampler.h"

#include "dist/session.h"

namespace minidl::dist {

std::shared_ptr<data::DistributedSampler> make_sampler(data::DistributedSamplerOptions options) {
  options.world = world_size();
  options.rank = rank();
  return std::make_shared<data::DistributedSampler>(options);
}

}  // namespace minidl::dist
