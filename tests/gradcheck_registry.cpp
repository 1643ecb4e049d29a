// The storage of the gradcheck registry (gradcheck_registry.h).
#include "gradcheck_registry.h"

namespace minidl::testing {

std::vector<GradcheckCase>& gradcheck_cases() {
  static std::vector<GradcheckCase> cases;
  return cases;
}

}  // namespace minidl::testing
