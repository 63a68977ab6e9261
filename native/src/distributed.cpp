// Data-parallel collectives on PyTorch's c10d: a TCPStore rendezvous (rank 0 hosts the store), a Gloo process group
// for CPU tensors and, when this libtorch has NCCL (USE_C10D_NCCL), an NCCL group for CUDA tensors.
//
// The same source builds against Debian's libtorch 1.13 (ProcessGroupGloo derives from ProcessGroup) and a CUDA
// libtorch 2.x (it derives from Backend): only members present in both are used — the concrete classes' collectives,
// Work::wait(timeout), TCPStore(host, TCPStoreOptions), ProcessGroupGloo::Options and its device factories.
// Without the c10d headers every function compiles and reports SV_ERR_UNAVAILABLE.
#include "distributed.h"

#ifdef SV_WITH_C10D
#include <torch/csrc/autograd/custom_function.h>
#endif

using namespace sv::dist;

namespace {
#ifdef SV_WITH_C10D
// c10d needs dense contiguous tensors; a non-contiguous one is staged through a contiguous copy.
struct Staged {
  std::vector<at::Tensor> originals;
  std::vector<at::Tensor> work;
  explicit Staged(std::vector<at::Tensor> ts) : originals(std::move(ts)) {
    for (auto& t : originals) {
      if (t.is_sparse()) throw c10::ValueError({__func__, __FILE__, static_cast<uint32_t>(__LINE__)}, "sparse tensors are not supported by collectives");
      work.push_back(t.is_contiguous() ? t : t.contiguous());
    }
  }
  void copy_back() {
    for (size_t i = 0; i < originals.size(); ++i)
      if (!work[i].is_same(originals[i])) originals[i].copy_(work[i]);
  }
};

// SUM all-reduce of a fresh contiguous copy of `t` (the input is left untouched), waited for with the group's timeout.
at::Tensor all_reduced_sum(Group& g, const at::Tensor& t, const char* op) {
  auto copy = t.contiguous().clone();
  std::vector<c10::intrusive_ptr<c10d::Work>> works;
  try {
    works.push_back(start_all_reduce(g, copy, c10d::ReduceOp::SUM));
  } catch (const c10::Error& e) {
    rethrow_as_dist(g, op, e.what_without_backtrace());
  }
  wait_all(g, op, works);
  return copy;
}

// y = SUM over ranks of x, differentiable: the gradient of a sum over ranks is the sum over ranks of the gradients,
// so backward all-reduces (SUM) the incoming gradient. SyncBatchNorm builds its global batch statistics from it.
// The backward runs on every rank because every rank's loss depends on y; autograd materialises an absent incoming
// gradient as zeros (the Function default), so the ranks always meet in the same collectives.
struct AllReduceSum : public torch::autograd::Function<AllReduceSum> {
  static at::Tensor forward(torch::autograd::AutogradContext* ctx, const at::Tensor& input, Group* g) {
    ctx->saved_data["group"] = static_cast<int64_t>(reinterpret_cast<intptr_t>(g));
    return all_reduced_sum(*g, input, "all_reduce (forward of a differentiable all-reduce)");
  }
  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx, torch::autograd::variable_list grads) {
    auto* g = reinterpret_cast<Group*>(static_cast<intptr_t>(ctx->saved_data["group"].toInt()));
    return {all_reduced_sum(*g, grads[0], "all_reduce (backward of a differentiable all-reduce)"), at::Tensor()};
  }
};
#endif  // SV_WITH_C10D
}  // namespace

// 1 when c10d (Gloo) is compiled in, 0 otherwise.
SV_API int32_t sv_dist_is_available() {
#ifdef SV_WITH_C10D
  return 1;
#else
  return 0;
#endif
}

// 1 when NCCL is compiled in (a CUDA libtorch with USE_C10D_NCCL), 0 otherwise.
SV_API int32_t sv_dist_nccl_available() {
#if defined(SV_WITH_C10D) && defined(USE_C10D_NCCL)
  return 1;
#else
  return 0;
#endif
}

// Rendezvous and process-group creation. Rank 0 hosts the TCPStore on master_port; the others connect to it.
// `iface` (may be null/empty) names the network interface Gloo binds to; otherwise loopback when the master is
// loopback, else the address this machine's hostname resolves to.
SV_API int32_t sv_dist_init(const char* master_addr, int32_t master_port, int32_t rank, int32_t world_size,
                            int64_t timeout_ms, int32_t backend, const char* iface, void** out) {
  SV_DIST_FN({
    if (!out) throw c10::ValueError({__func__, __FILE__, static_cast<uint32_t>(__LINE__)}, "null output pointer");
    *out = nullptr;
    if (world_size < 1)
      throw c10::ValueError({__func__, __FILE__, static_cast<uint32_t>(__LINE__)}, "world size must be at least 1, got " + std::to_string(world_size));
    if (rank < 0 || rank >= world_size)
      throw c10::ValueError({__func__, __FILE__, static_cast<uint32_t>(__LINE__)},
                            "rank " + std::to_string(rank) + " is outside [0, " + std::to_string(world_size) + ")");
    if (master_port < 1 || master_port > 65535)
      throw c10::ValueError({__func__, __FILE__, static_cast<uint32_t>(__LINE__)}, "master port " + std::to_string(master_port) + " is outside 1..65535");
    if (timeout_ms <= 0)
      throw c10::ValueError({__func__, __FILE__, static_cast<uint32_t>(__LINE__)}, "timeout must be positive");
#ifndef USE_C10D_NCCL
    if (backend == SV_BACKEND_NCCL)
      throw c10::NotImplementedError({__func__, __FILE__, static_cast<uint32_t>(__LINE__)},
                                     "the NCCL backend was requested but this libtorch has no NCCL (CPU build); use Gloo");
#endif
    auto g = std::make_unique<Group>();
    g->rank = rank;
    g->size = world_size;
    g->backend = backend;
    g->timeout = std::chrono::milliseconds(timeout_ms);
    std::string host = master_addr ? master_addr : "127.0.0.1";
    try {
      c10d::TCPStoreOptions so;
      so.port = static_cast<std::uint16_t>(master_port);
      so.isServer = rank == 0;
      so.numWorkers = static_cast<std::size_t>(world_size);
      so.waitWorkers = true;
      so.timeout = g->timeout;
      g->store = c10::make_intrusive<c10d::TCPStore>(host, so);
    } catch (const std::exception& e) {
      std::string what = e.what();
      if (auto* ce = dynamic_cast<const c10::Error*>(&e)) what = ce->what_without_backtrace();
      throw DistError("rank " + std::to_string(rank) + ": rendezvous with the store at " + host + ":" +
                      std::to_string(master_port) + " failed within " + seconds(g->timeout) +
                      " (is rank 0 running, the port free on rank 0 and open in the firewall?): " + what);
    }
    try {
      auto opts = c10d::ProcessGroupGloo::Options::create(g->timeout);
      std::string iface_name = iface ? iface : "";
      if (iface_name.empty()) {
        const char* env = std::getenv("GLOO_SOCKET_IFNAME");
        if (env) iface_name = env;
      }
      if (!iface_name.empty()) {
        opts->devices.push_back(c10d::ProcessGroupGloo::createDeviceForInterface(iface_name));
      } else if (is_loopback(host)) {
        opts->devices.push_back(c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1"));
      } else {
        opts->devices.push_back(c10d::ProcessGroupGloo::createDefaultDevice());
      }
      opts->threads = 2;
      g->gloo = c10::make_intrusive<c10d::ProcessGroupGloo>(g->store, rank, world_size, opts);
#ifdef USE_C10D_NCCL
      if (backend == SV_BACKEND_NCCL) ensure_nccl(*g);
#endif
    } catch (const std::exception& e) {
      std::string what = e.what();
      if (auto* ce = dynamic_cast<const c10::Error*>(&e)) what = ce->what_without_backtrace();
      throw DistError("rank " + std::to_string(rank) + ": creating the process group of " + std::to_string(world_size) +
                      " ranks failed \xE2\x80\x94 did every rank start and reach the rendezvous within " + seconds(g->timeout) +
                      "? (" + what + ")");
    }
    *out = g.release();
  })
}

SV_API int32_t sv_dist_rank(void* pg) {
#ifdef SV_WITH_C10D
  return pg ? static_cast<Group*>(pg)->rank : -1;
#else
  return -1;
#endif
}

SV_API int32_t sv_dist_world_size(void* pg) {
#ifdef SV_WITH_C10D
  return pg ? static_cast<Group*>(pg)->size : -1;
#else
  return -1;
#endif
}

SV_API void sv_dist_destroy(void* pg) {
#ifdef SV_WITH_C10D
  try {
    delete static_cast<Group*>(pg);
  } catch (...) {
    // A destructor that throws while a peer is gone must not take the process down.
  }
#endif
}

// Broadcasts each tensor from `root` into the same tensor on every rank (in place).
SV_API int32_t sv_dist_broadcast(void* pg, void** tensors, int32_t n, int32_t root) {
  SV_DIST_FN({
    auto& g = G(pg);
    if (root < 0 || root >= g.size)
      throw c10::ValueError({__func__, __FILE__, static_cast<uint32_t>(__LINE__)},
                            "broadcast root " + std::to_string(root) + " is outside [0, " + std::to_string(g.size) + ")");
    Staged s(sv::list(tensors, n));
    std::vector<c10::intrusive_ptr<c10d::Work>> works;
    try {
      for (auto& t : s.work) {
        std::vector<at::Tensor> one{t};
        c10d::BroadcastOptions o;
        o.rootRank = root;
        o.rootTensor = 0;
        o.timeout = g.timeout;
        works.push_back(dispatch(g, t.is_cuda(), [&](auto& b) { return b.broadcast(one, o); }));
      }
    } catch (const c10::Error& e) {
      rethrow_as_dist(g, "broadcast", e.what_without_backtrace());
    }
    wait_all(g, "broadcast", works);
    s.copy_back();
  })
}

// Reduces each tensor across ranks in place (SUM, AVG = SUM / world size, MAX, MIN).
SV_API int32_t sv_dist_all_reduce(void* pg, void** tensors, int32_t n, int32_t op) {
  SV_DIST_FN({
    auto& g = G(pg);
    c10d::ReduceOp rop;
    switch (op) {
      case SV_REDUCE_SUM:
      case SV_REDUCE_AVG: rop = c10d::ReduceOp::SUM; break;
      case SV_REDUCE_MAX: rop = c10d::ReduceOp::MAX; break;
      case SV_REDUCE_MIN: rop = c10d::ReduceOp::MIN; break;
      default:
        throw c10::ValueError({__func__, __FILE__, static_cast<uint32_t>(__LINE__)}, "unknown reduce op " + std::to_string(op));
    }
    Staged s(sv::list(tensors, n));
    if (op == SV_REDUCE_AVG)
      for (auto& t : s.work)
        if (!at::isFloatingType(t.scalar_type()))
          throw c10::TypeError({__func__, __FILE__, static_cast<uint32_t>(__LINE__)},
                               std::string("all_reduce AVG needs floating-point tensors, got ") + c10::toString(t.scalar_type()) +
                                   "; use SUM and divide");
    std::vector<c10::intrusive_ptr<c10d::Work>> works;
    try {
      for (auto& t : s.work) works.push_back(start_all_reduce(g, t, rop));
    } catch (const c10::Error& e) {
      rethrow_as_dist(g, "all_reduce", e.what_without_backtrace());
    }
    wait_all(g, "all_reduce", works);
    // Gloo has no AVG; SUM then divide gives the same result on every backend.
    if (op == SV_REDUCE_AVG && g.size > 1)
      for (auto& t : s.work) t.div_(static_cast<double>(g.size));
    s.copy_back();
  })
}

// A new tensor holding the SUM over ranks of `tensor`, recorded by autograd: its backward all-reduces (SUM) the
// incoming gradient. Every rank must call it, and run the backward through it, in the same order. The group must
// outlive the backward.
SV_API int32_t sv_dist_all_reduce_differentiable(void* pg, void* tensor, void** out) {
  SV_DIST_FN({
    auto& g = G(pg);
    if (!out) throw c10::ValueError({__func__, __FILE__, static_cast<uint32_t>(__LINE__)}, "null output pointer");
    *out = nullptr;
    const auto& input = sv::T(tensor);
    if (input.is_sparse()) throw c10::ValueError({__func__, __FILE__, static_cast<uint32_t>(__LINE__)}, "sparse tensors are not supported by collectives");
    if (!at::isFloatingType(input.scalar_type()))
      throw c10::TypeError({__func__, __FILE__, static_cast<uint32_t>(__LINE__)},
                           std::string("a differentiable all_reduce needs a floating-point tensor, got ") + c10::toString(input.scalar_type()));
    *out = sv::wrap(AllReduceSum::apply(input, &g));
  })
}

// Gathers one tensor (same shape on every rank) from each rank into a new tensor [world_size, ...shape].
SV_API int32_t sv_dist_all_gather(void* pg, void* tensor, void** out) {
  SV_DIST_FN({
    auto& g = G(pg);
    if (!out) throw c10::ValueError({__func__, __FILE__, static_cast<uint32_t>(__LINE__)}, "null output pointer");
    *out = nullptr;
    auto input = sv::T(tensor).contiguous();
    std::vector<std::vector<at::Tensor>> outputs(1);
    for (int i = 0; i < g.size; ++i) outputs[0].push_back(at::empty_like(input));
    std::vector<at::Tensor> inputs{input};
    std::vector<c10::intrusive_ptr<c10d::Work>> works;
    try {
      c10d::AllgatherOptions o;
      o.timeout = g.timeout;
      works.push_back(dispatch(g, input.is_cuda(), [&](auto& b) { return b.allgather(outputs, inputs, o); }));
    } catch (const c10::Error& e) {
      rethrow_as_dist(g, "all_gather", e.what_without_backtrace());
    }
    wait_all(g, "all_gather", works);
    *out = sv::wrap(at::stack(outputs[0], 0));
  })
}

// Blocks until every rank reached the barrier (through Gloo, which every group has).
SV_API int32_t sv_dist_barrier(void* pg) {
  SV_DIST_FN({
    auto& g = G(pg);
    std::vector<c10::intrusive_ptr<c10d::Work>> works;
    try {
      c10d::BarrierOptions o;
      o.timeout = g.timeout;
      works.push_back(g.gloo->barrier(o));
    } catch (const c10::Error& e) {
      rethrow_as_dist(g, "barrier", e.what_without_backtrace());
    }
    wait_all(g, "barrier", works);
  })
}
