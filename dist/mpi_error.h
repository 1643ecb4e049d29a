// Internal to dist/: turns an MPI return code into a minidl::Error naming the call. The Session
// sets MPI_ERRORS_RETURN on MPI_COMM_WORLD, so MPI failures come back as codes, not aborts.
#pragma once

namespace minidl::dist {

/// Throws minidl::Error "dist::<what>: <MPI's error string>" unless `code` is MPI_SUCCESS.
void check_mpi(int code, const char* what);

}  // namespace minidl::dist
