// nn::Dropout.
#include "nn/dropout.h"

#include <fmt/format.h>

#include "nn/functional.h"

namespace minidl::nn {

Dropout::Dropout(const DropoutOptions& options, Generator& seed_source)
    : options_(options),
      generator_(register_generator("generator", std::make_shared<Generator>(seed_source.next()))) {
  check(options.p >= 0.0F && options.p <= 1.0F, "p must be in [0, 1], got {}", options.p);
}

Tensor Dropout::forward(const Tensor& input) {
  check(input.defined(), "the input is an undefined tensor");
  return dropout(input, options_.p, is_training(), *generator_);
}

std::string Dropout::describe() const { return fmt::format("Dropout(p={})", options_.p); }

}  // namespace minidl::nn
