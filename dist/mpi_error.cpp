// MPI return codes to minidl::Error (see mpi_error.h).
#include "dist/mpi_error.h"

#include <mpi.h>

#include <string>

#include "core/error.h"

namespace minidl::dist {

void check_mpi(int code, const char* what) {
  if (code == MPI_SUCCESS) return;
  std::string text(MPI_MAX_ERROR_STRING, '\0');
  int length = 0;
  MPI_Error_string(code, text.data(), &length);
  text.resize(static_cast<size_t>(length));
  throw Error(fmt::format("dist::{}: MPI error {}: {}", what, code, text));
}

}  // namespace minidl::dist
