// minidl: the one header a user includes.
#pragma once

#include "core/autograd/node.h"
#include "core/error.h"
#include "core/factories.h"
#include "core/generator.h"
#include "core/grad_mode.h"
#include "core/gradcheck.h"
#include "core/ops/arithmetic.h"
#include "core/ops/indexing.h"
#include "core/ops/math.h"
#include "core/ops/matmul.h"
#include "core/ops/reduction.h"
#include "core/ops/softmax.h"
#include "core/ops/view.h"
#include "core/tensor.h"
