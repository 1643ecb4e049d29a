// DataParallel over minidl::dist (see data_parallel.h).
#include <array>
#include <vector>

#include "dist/dist.h"
#include "examples/mnist/data_parallel.h"

namespace minidl::examples {

struct DataParallel::Mpi {
  Mpi(int& argc, char**& argv) : session(argc, argv) {}
  dist::Session session;
};

DataParallel::DataParallel(bool distributed, int& argc, char**& argv) {
  if (!distributed) return;
  mpi_ = std::make_unique<Mpi>(argc, argv);
  rank_ = dist::rank();
  world_ = dist::world_size();
}

DataParallel::~DataParallel() = default;

std::shared_ptr<const data::Sampler> DataParallel::sampler(int64_t dataset_size, uint64_t seed,
                                                           data::Remainder remainder) const {
  if (!mpi_) return nullptr;
  return dist::make_sampler({.dataset_size = dataset_size, .seed = seed, .remainder = remainder});
}

void DataParallel::broadcast(const nn::Module& model) const {
  if (mpi_) dist::broadcast_parameters(model);
}

train::GradientHook DataParallel::gradient_hook(const nn::Module& model) const {
  if (!mpi_) return {};
  return [&model] { dist::allreduce_gradients(model); };
}

train::Tally DataParallel::sum(const train::Tally& tally) const {
  if (!mpi_) return tally;
  std::array<double, 3> values{tally.loss_sum, static_cast<double>(tally.correct),
                               static_cast<double>(tally.seen)};
  dist::allreduce_sum(values);
  return {.loss_sum = values[0],
          .correct = static_cast<int64_t>(values[1]),
          .seen = static_cast<int64_t>(values[2])};
}

train::ConfusionMatrix DataParallel::sum(const train::ConfusionMatrix& matrix) const {
  if (!mpi_) return matrix;
  std::vector<double> values(matrix.counts().begin(), matrix.counts().end());
  dist::allreduce_sum(values);
  return {matrix.classes(), std::vector<int64_t>(values.begin(), values.end())};
}

void DataParallel::on_error(const std::string& message) const {
  if (mpi_) dist::abort_job(message);
}

}  // namespace minidl::examples
