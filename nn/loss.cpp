// Loss modules (see loss.h).
#include "nn/loss.h"

namespace minidl::nn {

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

}  // namespace minidl::nn
