// MPI lifetime, rank, world size and the abort-on-exception policy (see session.h).
#include "dist/session.h"

#include <fmt/format.h>
#include <mpi.h>

#include <cstdio>
#include <cstdlib>
#include <exception>

#include "core/error.h"
#include "dist/mpi_error.h"

namespace minidl::dist {

namespace {

void check_active(const char* who) {
  int initialized = 0;
  int finalized = 0;
  MPI_Initialized(&initialized);
  MPI_Finalized(&finalized);
  MINIDL_CHECK(initialized != 0 && finalized == 0, "dist::{}: no dist::Session is active", who);
}

}  // namespace

Session::Session(int& argc, char**& argv) : uncaught_at_start_(std::uncaught_exceptions()) {
  int initialized = 0;
  MPI_Initialized(&initialized);
  MINIDL_CHECK(initialized == 0, "dist::Session: MPI is already initialised (one Session only)");
  int provided = 0;
  check_mpi(MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided), "Session");
  check_mpi(MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN), "Session");
}

Session::~Session() {
  if (std::uncaught_exceptions() > uncaught_at_start_) {
    abort_job("an exception is propagating out of the dist::Session's scope");
  }
  MPI_Finalize();
}

int rank() {
  check_active("rank");
  int value = 0;
  check_mpi(MPI_Comm_rank(MPI_COMM_WORLD, &value), "rank");
  return value;
}

int world_size() {
  check_active("world_size");
  int value = 0;
  check_mpi(MPI_Comm_size(MPI_COMM_WORLD, &value), "world_size");
  return value;
}

void abort_job(const std::string& message) {
  int value = -1;
  MPI_Comm_rank(MPI_COMM_WORLD, &value);
  std::fflush(stdout);
  fmt::print(stderr, "minidl: rank {}: {}\n", value, message);
  std::fflush(stderr);
  MPI_Abort(MPI_COMM_WORLD, 1);
  std::abort();  // MPI_Abort does not return; this only tells the compiler so
}

int run(int& argc, char**& argv, const std::function<int()>& body) {
  Session session(argc, argv);
  try {
    return body();
  } catch (const std::exception& error) {
    abort_job(error.what());
  }
}

}  // namespace minidl::dist
