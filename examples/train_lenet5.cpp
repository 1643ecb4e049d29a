// Train LeNet-5 on MNIST: SGD with momentum, a cosine schedule, test accuracy after each epoch.
#include <cstdio>

#include "minidl.h"

using namespace minidl;

int main(int argc, char** argv) try {
  const std::string dir = argc > 1 ? argv[1] : "data/mnist";
  if (argc > 2 || dir.starts_with("-")) {  // no options; --help prints the usage
    const bool help = argc == 2 && dir == "--help";
    std::fputs("usage: train_lenet5 [MNIST folder, default data/mnist]\n", help ? stdout : stderr);
    return help ? 0 : 2;
  }
  const int64_t epochs = 2, batch_size = 64;
  manual_seed(0);
  nn::Sequential model(
      nn::Conv2d({.in = 1, .out = 6, .kernel = 5}), nn::ReLU(), nn::MaxPool2d({.kernel = 2}),
      nn::Conv2d({.in = 6, .out = 16, .kernel = 5}), nn::ReLU(), nn::MaxPool2d({.kernel = 2}),
      nn::Flatten(), nn::Linear({.in = 256, .out = 120}), nn::ReLU(),
      nn::Linear({.in = 120, .out = 84}), nn::ReLU(), nn::Linear({.in = 84, .out = 10}));
  data::DataLoader train(std::make_shared<data::MNIST>(dir, data::Split::Train),
                         {.batch_size = batch_size, .shuffle = true});
  data::DataLoader test(std::make_shared<data::MNIST>(dir, data::Split::Test),
                        {.batch_size = 1000});
  optim::SGD optimizer(model.parameters(), {.lr = 0.05, .momentum = 0.9});
  optim::CosineAnnealingLR schedule({.lr = 0.05, .total_steps = epochs * train.size()});
  int64_t step = 0;
  for (int64_t epoch = 1; epoch <= epochs; ++epoch) {
    model.train();
    for (const data::Example& batch : train) {
      optimizer.set_lr_factor(schedule.factor_at(step++));
      optimizer.zero_grad();
      Tensor loss = nn::cross_entropy(model(batch.input), batch.target);
      loss.backward();
      optimizer.step();
    }
    model.eval();
    NoGradGuard no_grad;
    double correct = 0;
    for (const data::Example& batch : test) {
      correct += sum(eq(argmax(model(batch.input), 1), batch.target)).item();
    }
    std::printf("epoch %lld: test accuracy %.2f%%\n", static_cast<long long>(epoch),
                100.0 * correct / static_cast<double>(test.dataset().size()));
  }
} catch (const Error& error) {
  std::fprintf(stderr, "error: %s\n", error.what());
  return 1;
}
