// examples/pipeline_lenet: model-parallel LeNet-5 over MPI ranks. With one replica (2 ranks),
// rank 0 holds the convolutional stage and reads MNIST and rank 1 holds the fully connected
// stage and prints the loss; activations travel forward and their gradients backward with
// dist::send / dist::recv. With --replicas R (2R ranks) it is hybrid parallelism: R copies of
// that pipeline each train on their own shard of every epoch (ranks 0..R-1 hold the
// convolutions, R..2R-1 the linear layers, replica r on ranks r and R + r), and the ranks of one
// stage average its gradients among themselves (dist::Group) before every step.
//   ./scripts/fetch_mnist.sh
//   mpirun -np 2 build/examples/pipeline_lenet --epochs 1 --limit 10000
//   mpirun -np 4 build/examples/pipeline_lenet --replicas 2 --epochs 1 --limit 10000
// An exception on any rank ends them all, naming the rank (dist::run).
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <optional>

#include "core/factories.h"
#include "core/parallel.h"
#include "data/dataloader.h"
#include "data/mnist.h"
#include "data/sampler.h"
#include "dist/allreduce.h"
#include "dist/group.h"
#include "dist/pipeline.h"
#include "dist/point_to_point.h"
#include "dist/session.h"
#include "examples/common/cli.h"
#include "nn/models.h"
#include "optim/sgd.h"

using namespace minidl;

namespace {

struct Settings {
  int64_t epochs = 1;
  int64_t batch_size = 64;
  double lr = 0.01;
  double momentum = 0.9;
  uint64_t seed = 1;
  int64_t threads = 1;
  int64_t limit = -1;
  std::string data_dir = "data/mnist";
  int replicas = 1;
};

constexpr int kStepsTag = 0;  // the first stage tells the second how many steps an epoch has
constexpr size_t kFeatureModules = 6;  // LeNet-5 before Flatten: conv, ReLU, pool, conv, ReLU, pool

// The first stage: reads this replica's shard of the data, runs the convolutions.
void run_features(const Settings& s, nn::Module& features, const dist::PipelinePlace& place,
                  const dist::Group& same_stage) {
  auto train_set = std::make_shared<data::MNIST>(s.data_dir, data::Split::Train,
                                                 data::MNISTOptions{.limit = s.limit});
  auto shard = std::make_shared<data::DistributedSampler>(
      data::DistributedSamplerOptions{.dataset_size = train_set->size(),
                                      .world = s.replicas,
                                      .rank = place.replica,
                                      .seed = s.seed});
  data::DataLoader loader(train_set, {.batch_size = s.batch_size, .sampler = shard});
  optim::SGD optimizer(features.parameters(), {.lr = s.lr, .momentum = s.momentum});
  for (int64_t epoch = 1; epoch <= s.epochs; ++epoch) {
    dist::send(full({1}, static_cast<float>(loader.size())), place.peer, kStepsTag);
    for (const data::Example& batch : loader) {
      optimizer.zero_grad();
      dist::first_stage_step(features, batch, place.peer);
      dist::allreduce_gradients(features, {}, same_stage);  // the mean over the replicas
      optimizer.step();
    }
  }
}

// The second stage: runs the fully connected layers; its first replica reports the loss.
void run_classifier(const Settings& s, nn::Module& classifier, const dist::PipelinePlace& place,
                    const dist::Group& same_stage) {
  const bool reports = place.replica == 0;
  optim::SGD optimizer(classifier.parameters(), {.lr = s.lr, .momentum = s.momentum});
  for (int64_t epoch = 1; epoch <= s.epochs; ++epoch) {
    const auto steps = static_cast<int64_t>(dist::recv(place.peer, kStepsTag).item());
    std::vector<double> loss_sum = {0.0};
    for (int64_t step = 1; step <= steps; ++step) {
      optimizer.zero_grad();
      const double loss = dist::last_stage_step(classifier, place.peer);
      dist::allreduce_gradients(classifier, {}, same_stage);
      optimizer.step();
      loss_sum[0] += loss;
      if (reports && step % 100 == 0)
        fmt::print("epoch {} step {}/{}  loss {:.4f}\n", epoch, step, steps, loss);
    }
    dist::allreduce_sum(loss_sum, same_stage);  // every replica's steps
    if (reports) {
      fmt::print("epoch {}/{}  mean train loss {:.4f}\n", epoch, s.epochs,
                 loss_sum[0] / static_cast<double>(steps * s.replicas));
    }
    std::fflush(stdout);
  }
}

}  // namespace

int main(int argc, char** argv) {
  namespace cli = examples::cli;
  CLI::App app{
      "Model-parallel LeNet-5 on MNIST over two MPI ranks, or hybrid: --replicas copies of it"};
  Settings s;
  cli::show_defaults(app);
  app.add_option("--epochs", s.epochs, "training epochs")->check(cli::integer_at_least(1));
  app.add_option("--batch-size", s.batch_size, "examples per batch")
      ->check(cli::integer_at_least(1));
  app.add_option("--lr", s.lr, "SGD learning rate")->check(cli::positive_number());
  app.add_option("--momentum", s.momentum, "SGD momentum")->check(cli::number_in(0.0, 1.0, true));
  app.add_option("--seed", s.seed, "seed of the init and the shuffle")
      ->check(cli::integer_at_least(0));
  app.add_option("--threads", s.threads, "threads per rank")->check(cli::integer_in(1, 4096));
  app.add_option("--limit", s.limit, "train on the first N training images only (-1: all)")
      ->check(cli::integer_at_least(1));
  app.add_option("--data", s.data_dir, "folder with the MNIST IDX files (scripts/fetch_mnist.sh)");
  app.add_option("--replicas", s.replicas,
                 "copies of the 2-stage pipeline, each on its own shard of the data, over "
                 "2 x replicas ranks (hybrid parallelism; --batch-size is per replica)")
      ->check(cli::integer_in(1, 4096));
  // Every rank parses its own copy of the command line, before MPI starts.
  if (std::optional<int> code = cli::parse(app, argc, argv)) return *code;
  return dist::run(argc, argv, [&] {
    const dist::PipelinePlace place = dist::pipeline_place(s.replicas);
    const dist::Group same_stage = dist::Group::split(place.stage, place.replica);
    set_num_threads(s.threads);
    Generator init(s.seed);  // every replica starts from the same weights
    const dist::PipelineStages stages =
        dist::split_stages(*nn::models::lenet5(init), kFeatureModules);
    if (place.stage == 0) {
      run_features(s, *stages.first, place, same_stage);
    } else {
      if (place.replica == 0) {
        fmt::print("{}\n{}\n", stages.first->to_string(), stages.second->to_string());
        if (s.replicas > 1) {
          fmt::print("{} replicas of the pipeline on {} ranks, batch {} per replica\n", s.replicas,
                     2 * s.replicas, s.batch_size);
        }
      }
      run_classifier(s, *stages.second, place, same_stage);
    }
    return 0;
  });
}
