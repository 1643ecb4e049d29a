// DataParallel for a minidl built without MPI: always alone (see data_parallel.h).
#include "core/error.h"
#include "examples/mnist/data_parallel.h"

namespace minidl::examples {

struct DataParallel::Mpi {};

DataParallel::DataParallel(bool distributed, int& /*argc*/, char**& /*argv*/) {
  MINIDL_CHECK(!distributed,
               "mnist: --distributed needs minidl built with MPI: install libopenmpi-dev and "
               "openmpi-bin, then configure again (MINIDL_WITH_MPI=ON)");
}

DataParallel::~DataParallel() = default;

std::shared_ptr<const data::Sampler> DataParallel::sampler(int64_t /*dataset_size*/,
                                                           uint64_t /*seed*/,
                                                           data::Remainder /*remainder*/) const {
  return nullptr;
}

void DataParallel::broadcast(const nn::Module& /*model*/) const {}

train::GradientHook DataParallel::gradient_hook(const nn::Module& /*model*/) const { return {}; }

train::Tally DataParallel::sum(const train::Tally& tally) const { return tally; }

train::ConfusionMatrix DataParallel::sum(const train::ConfusionMatrix& matrix) const {
  return matrix;
}

void DataParallel::on_error(const std::string& /*message*/) const {}

}  // namespace minidl::examples
