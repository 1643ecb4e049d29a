// minidl::dist, MPI data and model parallelism, in one include (built when MINIDL_WITH_MPI is
// on; link minidl::dist). See docs/distributed.md.
#pragma once

#include "dist/allreduce.h"
#include "dist/broadcast.h"
#include "dist/group.h"
#include "dist/pipeline.h"
#include "dist/point_to_point.h"
#include "dist/sampler.h"
#include "dist/session.h"
