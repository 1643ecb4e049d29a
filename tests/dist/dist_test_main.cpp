// The doctest runner of the minidl::dist suite: every rank of `mpirun -np 2 test_dist` runs the
// same test cases in the same order inside one dist::Session, so their collectives pair up.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include "dist/session.h"

int main(int argc, char** argv) {
  minidl::dist::Session session(argc, argv);
  doctest::Context context(argc, argv);
  return context.run();
}
