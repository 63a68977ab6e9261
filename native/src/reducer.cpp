// The gradient reducer of data-parallel training, after PyTorch DDP's Reducer (torch/csrc/distributed/c10d/reducer.cpp):
// a post hook on each trainable parameter's grad accumulator marks the parameter ready as soon as autograd has
// accumulated its gradient; parameters are grouped into size-bounded buckets in reverse order (roughly the order in
// which backward produces them), and when every gradient of a bucket is ready the bucket is flattened and all-reduced
// asynchronously, so that communication overlaps the rest of the backward pass. Finalize waits for every bucket and
// sets each parameter's gradient to its averaged slice of the bucket before the optimizer step.
//
// Everything runs natively: the hooks never call back into managed code. Buckets are launched strictly in bucket order
// on every rank (a ready bucket waits for the ones before it), because c10d matches collectives by their order.
// A parameter that got no gradient in a step (unused in the forward, or only used in earlier micro-batches) is marked
// ready at finalize with its current gradient (zeros when it has none), as find_unused_parameters does; the average is
// then written back to it, so every rank steps the same parameters.
//
// API used, present in libtorch 1.13 and 2.x alike: torch::autograd::impl::grad_accumulator, Node::add_post_hook /
// del_post_hook and utils::LambdaPostHook(std::function<variable_list(const variable_list&, const variable_list&)>).
#include "distributed.h"

#include <algorithm>
#include <mutex>

#ifdef SV_WITH_C10D
#include <torch/csrc/autograd/function.h>
#include <torch/csrc/autograd/utils/lambda_post_hook.h>
#include <torch/csrc/autograd/variable.h>
#endif

using namespace sv::dist;

namespace {
#ifdef SV_WITH_C10D
using torch::autograd::variable_list;

[[noreturn]] void value_error(const std::string& message) {
  throw c10::ValueError({__func__, __FILE__, static_cast<uint32_t>(__LINE__)}, message);
}

struct Reducer {
  struct Param {
    at::Tensor var;
    size_t bucket = 0;
    int64_t offset = 0;
  };
  struct Bucket {
    std::vector<size_t> params;
    at::Tensor flat;  // the gradients, flattened; averaged in place
    at::Tensor wire;  // what is all-reduced: `flat`, or its fp16 copy
    size_t pending = 0;
    bool launched = false;
    c10::intrusive_ptr<c10d::Work> work;
  };

  std::vector<Param> params;
  std::vector<Bucket> buckets;
  std::vector<std::shared_ptr<torch::autograd::Node>> accumulators;  // kept alive: the hooks live on them
  std::vector<uintptr_t> hook_keys;
  std::vector<char> ready;
  bool compress = false;

  std::mutex mu;
  Group* group = nullptr;  // the step's group (from prepare / finalize); null when not armed
  bool armed = false;
  size_t next_bucket = 0;
  int32_t launched_in_backward = 0;
  std::string hook_error;
  std::chrono::milliseconds timeout{30000};  // the last group's, for draining without it

  ~Reducer() {
    for (size_t i = 0; i < accumulators.size(); ++i) accumulators[i]->del_post_hook(hook_keys[i]);
  }

  // Starts the step: every parameter pending, no bucket launched. Waits out buckets of an aborted step first.
  void reset(Group& g) {
    drain();
    std::fill(ready.begin(), ready.end(), 0);
    for (auto& b : buckets) {
      b.pending = b.params.size();
      b.launched = false;
      b.work.reset();
    }
    next_bucket = 0;
    launched_in_backward = 0;
    hook_error.clear();
    group = &g;
    timeout = g.timeout;
  }

  void drain() {
    for (auto& b : buckets) {
      if (!b.work) continue;
      try {
        b.work->wait(timeout);
      } catch (...) {
        // An aborted step's collective: its failure was or will be reported by the step that uses the group.
      }
      b.work.reset();
    }
  }

  // Copies parameter i's current gradient (zeros when it has none) into its bucket; launches what became ready.
  void mark_ready(size_t i, bool from_hook) {
    if (ready[i]) {
      if (from_hook)
        hook_error = "parameter " + std::to_string(i) +
                     " received a gradient twice in one synchronised backward (call prepare before each synchronised backward)";
      return;
    }
    ready[i] = 1;
    auto& p = params[i];
    auto& b = buckets[p.bucket];
    auto slice = b.flat.narrow(0, p.offset, p.var.numel());
    const auto& grad = p.var.grad();
    if (grad.defined()) {
      // A gradient still viewing this slice (the last step's, accumulated into without zero_grad) is already in place.
      if (!(grad.data_ptr() == slice.data_ptr() && grad.is_contiguous())) slice.view(p.var.sizes()).copy_(grad);
    }
    else
      slice.zero_();
    if (--b.pending == 0) launch_ready(from_hook);
  }

  // Launches, in bucket order, every bucket whose gradients are all ready.
  void launch_ready(bool from_hook) {
    auto& g = *group;
    while (next_bucket < buckets.size() && buckets[next_bucket].pending == 0) {
      auto& b = buckets[next_bucket++];
      // Divide before the sum, as DDP does: keeps fp16 buckets in range.
      if (g.size > 1) b.flat.div_(static_cast<double>(g.size));
      if (compress) b.wire.copy_(b.flat);
      try {
        b.work = start_all_reduce(g, b.wire, c10d::ReduceOp::SUM);
      } catch (const c10::Error& e) {
        rethrow_as_dist(g, "all_reduce", e.what_without_backtrace());
      }
      b.launched = true;
      if (from_hook) ++launched_in_backward;
    }
  }

  // Called by autograd after parameter i's gradient was accumulated (any thread; never throws into the engine).
  void on_gradient(size_t i) {
    std::lock_guard<std::mutex> lock(mu);
    if (!armed || !hook_error.empty()) return;
    try {
      at::NoGradGuard no_grad;
      mark_ready(i, true);
    } catch (const std::exception& e) {
      hook_error = e.what();
    }
  }

  void finalize(Group& g) {
    std::lock_guard<std::mutex> lock(mu);
    if (!armed) reset(g);  // not prepared: every gradient is taken as it is now
    group = &g;
    armed = false;
    if (!hook_error.empty()) {
      auto message = hook_error;
      drain();
      throw DistError("rank " + std::to_string(g.rank) + ": " + message);
    }
    at::NoGradGuard no_grad;
    for (size_t i = 0; i < params.size(); ++i)
      if (!ready[i]) mark_ready(i, false);
    std::vector<c10::intrusive_ptr<c10d::Work>> works;
    for (auto& b : buckets) works.push_back(b.work);
    wait_all(g, "all_reduce", works);
    for (auto& b : buckets) {
      b.work.reset();
      if (compress) b.flat.copy_(b.wire);
      // Each gradient becomes a view of its bucket (DDP's gradient_as_bucket_view for the step's result): no copy back.
      // The next step's zero_grad drops the views; a gradient that is kept instead (accumulation without zero_grad)
      // accumulates into the bucket, which the next mark_ready then copies onto itself.
      for (auto i : b.params) {
        auto& p = params[i];
        p.var.mutable_grad() = b.flat.narrow(0, p.offset, p.var.numel()).view(p.var.sizes());
      }
    }
    group = nullptr;
  }
};

Reducer& R(void* handle) {
  if (!handle) value_error("null gradient reducer");
  return *static_cast<Reducer*>(handle);
}

// Buckets in reverse parameter order, one open bucket per (dtype, device), each closed before it would exceed its cap
// (a parameter larger than the cap gets a bucket of its own). As in DDP, the first bucket of each dtype has a smaller
// cap, so that the first all-reduce starts early in backward. Closed buckets come first, in the order they closed.
void build_buckets(Reducer& r, int64_t first_cap, int64_t cap) {
  struct Open {
    at::ScalarType dtype;
    at::Device device;
    Reducer::Bucket bucket;
    int64_t bytes;
    int closed;  // buckets of this dtype/device closed before this one
  };
  std::vector<Open> open;
  auto close = [&](Open& o) {
    int64_t total = 0;
    for (auto i : o.bucket.params) {
      r.params[i].bucket = r.buckets.size();
      r.params[i].offset = total;
      total += r.params[i].var.numel();
    }
    auto options = at::TensorOptions().dtype(o.dtype).device(o.device);
    o.bucket.flat = at::empty({total}, options);
    bool compressible = r.compress && (o.dtype == at::kFloat || o.dtype == at::kDouble);
    o.bucket.wire = compressible ? at::empty({total}, options.dtype(at::kHalf)) : o.bucket.flat;
    r.buckets.push_back(std::move(o.bucket));
  };
  for (size_t k = r.params.size(); k-- > 0;) {
    const auto& v = r.params[k].var;
    int64_t bytes = v.numel() * static_cast<int64_t>(v.element_size());
    auto it = std::find_if(open.begin(), open.end(), [&](const Open& o) { return o.dtype == v.scalar_type() && o.device == v.device(); });
    int closed = 0;
    if (it != open.end() && it->bytes + bytes > (it->closed == 0 ? first_cap : cap)) {
      closed = it->closed + 1;
      close(*it);
      open.erase(it);
      it = open.end();
    }
    if (it == open.end()) {
      open.push_back(Open{v.scalar_type(), v.device(), {}, 0, closed});
      it = open.end() - 1;
    }
    it->bucket.params.push_back(k);
    it->bytes += bytes;
  }
  for (auto& o : open) close(o);
  // The compressed copy only pays when a bucket is launched; a disabled compression keeps wire == flat.
  r.compress = r.compress && std::any_of(r.buckets.begin(), r.buckets.end(), [](const Reducer::Bucket& b) { return !b.wire.is_same(b.flat); });
}
#endif  // SV_WITH_C10D
}  // namespace

// Creates a reducer over `n` trainable leaf tensors (the same ones, in the same order, on every rank). `bucket_bytes`
// bounds a bucket, `first_bucket_bytes` the first one of each dtype (DDP: 1 MiB, then 25 MiB); `compression` 1
// all-reduces float buckets as fp16 (0 = none). Registers the gradient hooks.
SV_API int32_t sv_reducer_create(void** params, int32_t n, int64_t first_bucket_bytes, int64_t bucket_bytes, int32_t compression,
                                 void** out) {
  SV_DIST_FN({
    if (!out) value_error("null output pointer");
    *out = nullptr;
    if (n < 1) value_error("the reducer needs at least one trainable parameter");
    if (bucket_bytes < 1 || first_bucket_bytes < 1)
      value_error("bucket size must be positive, got " + std::to_string(std::min(bucket_bytes, first_bucket_bytes)));
    if (compression != 0 && compression != 1) value_error("unknown gradient compression " + std::to_string(compression));
    auto r = std::make_unique<Reducer>();
    r->compress = compression == 1;
    for (int32_t i = 0; i < n; ++i) {
      const auto& v = sv::T(params[i]);
      if (!v.is_leaf() || !v.requires_grad())
        value_error("parameter " + std::to_string(i) + " is not a trainable leaf tensor (requires_grad and no grad_fn)");
      if (v.is_sparse()) value_error("parameter " + std::to_string(i) + " is sparse; sparse gradients are not supported");
      for (int32_t j = 0; j < i; ++j)
        if (sv::T(params[j]).is_same(v)) value_error("parameter " + std::to_string(i) + " is the same tensor as parameter " + std::to_string(j));
      r->params.push_back(Reducer::Param{v});
    }
    r->ready.assign(r->params.size(), 0);
    build_buckets(*r, first_bucket_bytes, bucket_bytes);
    Reducer* raw = r.get();
    for (size_t i = 0; i < r->params.size(); ++i) {
      auto acc = torch::autograd::impl::grad_accumulator(r->params[i].var);
      if (!acc) value_error("parameter " + std::to_string(i) + " has no gradient accumulator");
      auto key = acc->add_post_hook(std::make_unique<torch::autograd::utils::LambdaPostHook>(
          [raw, i](const variable_list& outputs, const variable_list& /*inputs*/) {
            raw->on_gradient(i);
            return outputs;
          }));
      r->accumulators.push_back(std::move(acc));
      r->hook_keys.push_back(key);
    }
    *out = r.release();
  })
}

// The bucket layout: writes up to `cap` bucket sizes in bytes (launch order) to `sizes`; returns the bucket count.
SV_API int32_t sv_reducer_bucket_sizes(void* reducer, int64_t* sizes, int32_t cap) {
#ifdef SV_WITH_C10D
  if (!reducer) return -1;
  auto& r = *static_cast<Reducer*>(reducer);
  for (size_t b = 0; b < r.buckets.size() && static_cast<int32_t>(b) < cap; ++b)
    sizes[b] = r.buckets[b].flat.numel() * static_cast<int64_t>(r.buckets[b].flat.element_size());
  return static_cast<int32_t>(r.buckets.size());
#else
  return -1;
#endif
}

// Arms the hooks for the next backward on group `pg`: from now on each gradient that autograd accumulates marks its
// parameter ready, and full buckets are all-reduced while backward goes on. Call before the synchronised backward.
SV_API int32_t sv_reducer_prepare(void* reducer, void* pg) {
  SV_DIST_FN({
    auto& r = R(reducer);
    auto& g = G(pg);
    std::lock_guard<std::mutex> lock(r.mu);
    r.reset(g);
    r.armed = true;
  })
}

// Ends the step: marks the parameters without a gradient ready, launches the remaining buckets, waits for all of them
// and sets each parameter's grad to its slice of the bucket, averaged over the ranks. Call before the optimizer step.
// Without a prepare, every parameter's current gradient is reduced here (no overlap).
SV_API int32_t sv_reducer_finalize(void* reducer, void* pg) { SV_DIST_FN(R(reducer).finalize(G(pg))) }

// How many buckets the last synchronised backward launched from its hooks (the rest were launched by finalize).
SV_API int32_t sv_reducer_launched_in_backward(void* reducer) {
#ifdef SV_WITH_C10D
  return reducer ? static_cast<Reducer*>(reducer)->launched_in_backward : -1;
#else
  return -1;
#endif
}

// Removes the hooks and frees the buckets. Not while a backward that may fire the hooks runs.
SV_API void sv_reducer_destroy(void* reducer) {
#ifdef SV_WITH_C10D
  try {
    auto* r = static_cast<Reducer*>(reducer);
    if (r) {
      std::lock_guard<std::mutex> lock(r->mu);
      r->drain();
    }
    delete r;
  } catch (...) {
  }
#endif
}
