// Sub-communicators (see group.h).
#include "dist/group.h"

#include <mpi.h>

#include <utility>

#include "core/error.h"
#include "dist/mpi_error.h"
#include "dist/session.h"

namespace minidl::dist {

const Group& Group::world() {
  world_size();  // throws when no Session is active
  static const Group everyone(MPI_Comm_c2f(MPI_COMM_WORLD), false);
  return everyone;
}

Group Group::split(int color, int key) {
  MINIDL_CHECK(color >= 0, "dist::Group::split: color must be >= 0, got {}", color);
  world_size();  // throws when no Session is active
  MPI_Comm comm = MPI_COMM_NULL;
  check_mpi(MPI_Comm_split(MPI_COMM_WORLD, color, key, &comm), "Group::split");
  check_mpi(MPI_Comm_set_errhandler(comm, MPI_ERRORS_RETURN), "Group::split");
  return Group(MPI_Comm_c2f(comm), true);
}

Group::~Group() { release(); }

Group::Group(Group&& other) noexcept
    : handle_(other.handle_), owned_(std::exchange(other.owned_, false)) {}

Group& Group::operator=(Group&& other) noexcept {
  if (this != &other) {
    release();
    handle_ = other.handle_;
    owned_ = std::exchange(other.owned_, false);
  }
  return *this;
}

void Group::release() {
  if (!owned_) return;
  owned_ = false;
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (finalized != 0) return;
  MPI_Comm comm = MPI_Comm_f2c(handle_);
  MPI_Comm_free(&comm);
}

int Group::rank() const {
  int value = 0;
  check_mpi(MPI_Comm_rank(MPI_Comm_f2c(handle_), &value), "Group::rank");
  return value;
}

int Group::size() const {
  int value = 0;
  check_mpi(MPI_Comm_size(MPI_Comm_f2c(handle_), &value), "Group::size");
  return value;
}

}  // namespace minidl::dist
