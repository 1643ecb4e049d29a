// A program for the fault test: rank 1 throws while rank 0 waits in a collective that rank 1
// never joins. dist::run must end the whole job, naming rank 1, instead of hanging.
#include "core/error.h"
#include "core/factories.h"
#include "dist/dist.h"
#include "nn/linear.h"

using namespace minidl;

int main(int argc, char** argv) {
  return dist::run(argc, argv, [] {
    if (dist::rank() == 1) throw Error("deliberate failure while rank 0 waits");
    nn::Linear layer({.in = 2, .out = 2});
    dist::broadcast_parameters(layer);  // rank 0 blocks here forever unless the job is aborted
    return 0;
  });
}
