// Loss modules (see loss.h).
#include "nn/loss.h"

#include <fmt/format.h>

namespace minidl::nn {

namespace {

std::string_view reduction_name(Reduction reduction) {
  switch (reduction) {
    case Reduction::None:
      return "none";
    case Reduction::Mean:
      return "mean";
    case Reduction::Sum:
      return "sum";
  }
  return "unknown";
}

}  // namespace

Tensor Loss::forward(const Tensor& input, const Tensor& target) {
  return with_provenance([&] { return function_(input, target, options_); });
}

std::string Loss::describe() const {
  return fmt::format("{}(reduction={})", name_, reduction_name(options_.reduction));
}

}  // namespace minidl::nn
