// dist::Session: MPI's lifetime as an object, this process's rank and the world size, and the
// fault policy: an exception on one rank ends the whole job (MPI_Abort) with a message naming
// the rank, instead of leaving the other ranks waiting forever in a collective.
#pragma once

#include <functional>
#include <string>

namespace minidl::dist {

/// Initialises MPI (threads: only the calling thread makes MPI calls) and finalises it when
/// destroyed. Ending while an exception is in flight aborts the job (see abort_job). One per
/// process.
class Session {
 public:
  /// MPI_Init_thread with the program's arguments (MPI may remove its own from them).
  Session(int& argc, char**& argv);
  /// MPI_Finalize; or, during stack unwinding, abort_job, so no other rank hangs.
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
  Session(Session&&) = delete;
  Session& operator=(Session&&) = delete;

 private:
  int uncaught_at_start_;
};

/// This process's rank in MPI_COMM_WORLD; throws when no Session is active.
int rank();
/// The number of processes in MPI_COMM_WORLD; throws when no Session is active.
int world_size();

/// Prints "minidl: rank R: <message>" to stderr and ends every rank of the job (MPI_Abort, exit
/// code 1).
[[noreturn]] void abort_job(const std::string& message);

/// Runs `body` inside a Session and returns its exit code; an exception escaping `body` on any
/// rank aborts the whole job through abort_job with the exception's message.
int run(int& argc, char**& argv, const std::function<int()>& body);

}  // namespace minidl::dist
