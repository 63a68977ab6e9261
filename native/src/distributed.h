// Shared by distributed.cpp (collectives) and reducer.cpp (the gradient reducer): the process group, its error
// type and helpers. Everything that touches c10d is inside SV_WITH_C10D.
#pragma once
#include "common.h"

#include <chrono>
#include <cstdlib>
#include <memory>
#include <sstream>
#include <string>

// NCCL code needs both libtorch's USE_C10D_NCCL and nccl.h, which CMakeLists.txt found (SV_NCCL_HEADERS): a CUDA
// libtorch exports USE_C10D_NCCL to its users even where nccl.h is not on the include path.
#if defined(USE_C10D_NCCL) && !defined(SV_NCCL_HEADERS)
#undef USE_C10D_NCCL
#endif

#ifdef SV_WITH_C10D
#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#ifdef USE_C10D_NCCL
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#endif
#endif

namespace sv::dist {

// Backend choice (mirrors DistributedBackend.cs).
enum sv_backend : int32_t { SV_BACKEND_AUTO = 0, SV_BACKEND_GLOO = 1, SV_BACKEND_NCCL = 2 };
// Reduction (mirrors ReduceOp.cs).
enum sv_reduce : int32_t { SV_REDUCE_SUM = 0, SV_REDUCE_AVG = 1, SV_REDUCE_MAX = 2, SV_REDUCE_MIN = 3 };

#ifdef SV_WITH_C10D
// A failure of a collective or of the rendezvous; reported as SV_ERR_DISTRIBUTED (common.h).
using DistError = sv::DistributedError;

inline std::string seconds(std::chrono::milliseconds ms) {
  std::ostringstream s;
  s << (ms.count() / 1000.0) << " s";
  return s.str();
}

inline bool is_loopback(const std::string& host) {
  return host == "localhost" || host.rfind("127.", 0) == 0 || host == "::1";
}

struct Group {
  int rank = 0;
  int size = 1;
  int backend = SV_BACKEND_AUTO;
  std::chrono::milliseconds timeout{30000};
  c10::intrusive_ptr<c10d::Store> store;
  c10::intrusive_ptr<c10d::ProcessGroupGloo> gloo;
#ifdef USE_C10D_NCCL
  c10::intrusive_ptr<c10d::ProcessGroupNCCL> nccl;
#endif
};

// Turns any exception of a collective into a DistError naming the rank, the operation and the likely cause.
[[noreturn]] inline void rethrow_as_dist(const Group& g, const char* op, const std::string& what) {
  std::ostringstream m;
  m << "rank " << g.rank << ": " << op;
  std::string lower = what;
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower.find("timed out") != std::string::npos || lower.find("timeout") != std::string::npos) {
    m << " timed out after " << seconds(g.timeout) << " \xE2\x80\x94 is a peer gone? (" << what << ")";
  } else {
    m << " failed \xE2\x80\x94 is a peer gone? (" << what << ")";
  }
  throw DistError(m.str());
}

// Waits for a Work with the group's timeout; an unfinished or failed Work becomes a DistError.
inline void wait_all(const Group& g, const char* op, std::vector<c10::intrusive_ptr<c10d::Work>>& works) {
  for (auto& w : works) {
    try {
      if (!w->wait(g.timeout)) rethrow_as_dist(g, op, "Work::wait returned false (operation timed out)");
    } catch (const DistError&) {
      throw;
    } catch (const c10::Error& e) {
      rethrow_as_dist(g, op, e.what_without_backtrace());
    } catch (const std::exception& e) {
      rethrow_as_dist(g, op, e.what());
    }
  }
}

#ifdef USE_C10D_NCCL
inline void ensure_nccl(Group& g) {
  if (g.nccl) return;
  // A separate key space so that the NCCL unique id does not collide with Gloo's keys.
  auto prefixed = c10::make_intrusive<c10d::PrefixStore>("nccl/", g.store);
  auto opts = c10d::ProcessGroupNCCL::Options::create();
  opts->timeout = g.timeout;
  g.nccl = c10::make_intrusive<c10d::ProcessGroupNCCL>(prefixed, g.rank, g.size, opts);
}
#endif

// Runs `f(backend)` on the group that fits the tensors: NCCL for CUDA tensors when compiled in (unless Gloo was
// forced), Gloo otherwise.
template <class F>
c10::intrusive_ptr<c10d::Work> dispatch(Group& g, bool cuda, F&& f) {
#ifdef USE_C10D_NCCL
  if (cuda && g.backend != SV_BACKEND_GLOO) {
    ensure_nccl(g);
    return f(*g.nccl);
  }
#else
  if (cuda && g.backend == SV_BACKEND_NCCL)
    throw c10::NotImplementedError({__func__, __FILE__, static_cast<uint32_t>(__LINE__)},
                                   "NCCL is not compiled into this libtorch");
#endif
  return f(*g.gloo);
}

// Starts an in-place all-reduce of one dense contiguous tensor on the group that fits it, with the group's timeout.
inline c10::intrusive_ptr<c10d::Work> start_all_reduce(Group& g, at::Tensor& t, c10d::ReduceOp op) {
  std::vector<at::Tensor> one{t};
  c10d::AllreduceOptions o;
  o.reduceOp = op;
  o.timeout = g.timeout;
  return dispatch(g, t.is_cuda(), [&](auto& b) { return b.allreduce(one, o); });
}

inline Group& G(void* handle) {
  if (!handle) throw c10::ValueError({__func__, __FILE__, static_cast<uint32_t>(__LINE__)}, "null process group");
  return *static_cast<Group*>(handle);
}

#endif  // SV_WITH_C10D
}  // namespace sv::dist

#ifdef SV_WITH_C10D
// DistError becomes SV_ERR_DISTRIBUTED in SV_CATCH_ALL.
#define SV_DIST_FN(BODY)                                                                     \
  try {                                                                                      \
    BODY;                                                                                    \
    return 0;                                                                                \
  }                                                                                          \
  SV_CATCH_ALL(-1)
#else
#define SV_DIST_FN(BODY)                                                                     \
  sv::set_error(SV_ERR_UNAVAILABLE,                                                          \
                "distributed training is unavailable: this libtorch was built without c10d " \
                "(the shim found no torch/csrc/distributed/c10d/ProcessGroupGloo.hpp and gloo headers; "  \
                "on Debian install libgloo-dev and rebuild the native shim)");              \
  return -1;
#endif

