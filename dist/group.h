// dist::Group: some of the ranks, which run collectives among themselves only (an MPI
// communicator made by MPI_Comm_split). Hybrid parallelism needs it: the ranks holding the same
// pipeline stage average their gradients within their group while the other stage's ranks do the
// same in theirs. The header stays free of mpi.h: a Group keeps MPI's Fortran handle of its
// communicator (an int, from MPI_Comm_c2f), which dist's sources turn back with MPI_Comm_f2c.
#pragma once

namespace minidl::dist {

/// A communicator over a subset of the ranks (or all of them).
class Group {
 public:
  /// Every rank (MPI_COMM_WORLD); throws when no Session is active.
  static const Group& world();
  /// A collective over every rank: the ranks passing the same `color` (>= 0) form one group, in
  /// the order of `key` (ties: world rank). Each rank gets its own group.
  static Group split(int color, int key);

  /// Frees the communicator (unless it is the world's, or MPI has already been finalized).
  ~Group();
  Group(Group&& other) noexcept;
  Group& operator=(Group&& other) noexcept;
  Group(const Group&) = delete;
  Group& operator=(const Group&) = delete;

  /// This process's rank within the group.
  int rank() const;
  /// The number of ranks in the group.
  int size() const;
  /// MPI's Fortran handle of the communicator (dist's sources: MPI_Comm_f2c(group.handle())).
  int handle() const { return handle_; }

 private:
  Group(int handle, bool owned) : handle_(handle), owned_(owned) {}
  void release();
  int handle_;
  bool owned_;  // freed by the destructor
};

}  // namespace minidl::dist
