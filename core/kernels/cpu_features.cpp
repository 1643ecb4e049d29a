// Instruction-set detection (cpu_features.h).
#include "core/kernels/cpu_features.h"

namespace minidl::kernels {

bool cpu_supports(std::string_view isa) {
#if defined(__x86_64__)
  if (isa == "avx512") return __builtin_cpu_supports("avx512f");
  if (isa == "avx2") return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#endif
  return isa == "portable";
}

}  // namespace minidl::kernels
