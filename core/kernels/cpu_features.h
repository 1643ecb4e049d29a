// Which instruction sets this CPU runs, asked at run time: minidl's kernels come in variants per
// instruction set (GEMM, vector math) and pick the widest the CPU has, so one binary built
// without -march runs everywhere and uses AVX-512 where it is there.
#pragma once

#include <string_view>

namespace minidl::kernels {

/// True when the CPU runs kernels of `isa`: "avx512" (avx512f), "avx2" (avx2 and fma) or
/// "portable" (always); false for any other name and for the x86 ones elsewhere.
bool cpu_supports(std::string_view isa);

}  // namespace minidl::kernels
