// Tensor lifetime, creation, properties, data exchange, views, arithmetic, reductions, autograd.
#include "common.h"

#include <cstring>

using sv::T;
using sv::arr;
using sv::opt;

namespace {
at::TensorOptions options(int32_t dtype, int32_t dev_type, int32_t dev_index) {
  return at::TensorOptions().dtype(static_cast<at::ScalarType>(dtype)).device(sv::device_of(dev_type, dev_index));
}
// at:: factories ignore TensorOptions::requires_grad (only torch:: ones honour it), so the flag is set afterwards.
at::Tensor leaf(at::Tensor t, int32_t requires_grad) {
  if (requires_grad) t.requires_grad_(true);
  return t;
}
// An integral alpha is passed as an integer so that integer tensors accept it (at::add rejects a floating alpha).
at::Scalar alpha_of(double alpha) {
  bool integral = alpha > -9e15 && alpha < 9e15 && alpha == static_cast<double>(static_cast<int64_t>(alpha));
  return integral ? at::Scalar(static_cast<int64_t>(alpha)) : at::Scalar(alpha);
}
c10::optional<at::Generator> gen_of(void* g) {
  if (!g) return c10::nullopt;
  return *static_cast<at::Generator*>(g);
}
}  // namespace

// ---- lifetime ----
SV_API void sv_free(void* t) { delete static_cast<at::Tensor*>(t); }
SV_API void* sv_shallow_copy(void* t) { SV_TENSOR_FN(T(t)) }

// ---- creation ----
SV_API void* sv_empty(const int64_t* shape, int32_t nd, int32_t dtype, int32_t dt, int32_t di, int32_t rg) {
  SV_TENSOR_FN(leaf(at::empty(arr(shape, nd), options(dtype, dt, di)), rg))
}
SV_API void* sv_zeros(const int64_t* shape, int32_t nd, int32_t dtype, int32_t dt, int32_t di, int32_t rg) {
  SV_TENSOR_FN(leaf(at::zeros(arr(shape, nd), options(dtype, dt, di)), rg))
}
SV_API void* sv_ones(const int64_t* shape, int32_t nd, int32_t dtype, int32_t dt, int32_t di, int32_t rg) {
  SV_TENSOR_FN(leaf(at::ones(arr(shape, nd), options(dtype, dt, di)), rg))
}
SV_API void* sv_full(const int64_t* shape, int32_t nd, double value, int32_t dtype, int32_t dt, int32_t di, int32_t rg) {
  SV_TENSOR_FN(leaf(at::full(arr(shape, nd), value, options(dtype, dt, di)), rg))
}
SV_API void* sv_arange(double start, double end, double step, int32_t dtype, int32_t dt, int32_t di) {
  SV_TENSOR_FN(at::arange(start, end, step, options(dtype, dt, di)))
}
SV_API void* sv_linspace(double start, double end, int64_t steps, int32_t dtype, int32_t dt, int32_t di) {
  SV_TENSOR_FN(at::linspace(start, end, steps, options(dtype, dt, di)))
}
SV_API void* sv_eye(int64_t n, int32_t dtype, int32_t dt, int32_t di) {
  SV_TENSOR_FN(at::eye(n, options(dtype, dt, di)))
}
// Random creation always draws on the CPU (seeded generator) and then moves, so CPU and CUDA runs share values.
SV_API void* sv_rand(const int64_t* shape, int32_t nd, void* g, int32_t dtype, int32_t dt, int32_t di) {
  SV_TENSOR_FN(at::rand(arr(shape, nd), gen_of(g), options(dtype, 0, 0)).to(sv::device_of(dt, di)))
}
SV_API void* sv_randn(const int64_t* shape, int32_t nd, void* g, int32_t dtype, int32_t dt, int32_t di) {
  SV_TENSOR_FN(at::randn(arr(shape, nd), gen_of(g), options(dtype, 0, 0)).to(sv::device_of(dt, di)))
}
SV_API void* sv_randint(int64_t low, int64_t high, const int64_t* shape, int32_t nd, void* g, int32_t dtype, int32_t dt, int32_t di) {
  SV_TENSOR_FN(at::randint(low, high, arr(shape, nd), gen_of(g), options(dtype, 0, 0)).to(sv::device_of(dt, di)))
}
SV_API void* sv_randperm(int64_t n, void* g, int32_t dt, int32_t di) {
  SV_TENSOR_FN(at::randperm(n, gen_of(g), at::TensorOptions().dtype(at::kLong)).to(sv::device_of(dt, di)))
}
SV_API void* sv_bernoulli(void* probs, void* g) {
  SV_TENSOR_FN(at::bernoulli(T(probs).to(at::kCPU), gen_of(g)).to(T(probs).device()))
}
SV_API int32_t sv_uniform_(void* t, double from, double to, void* g) { SV_STATUS_FN(T(t).uniform_(from, to, gen_of(g))) }
SV_API int32_t sv_normal_(void* t, double mean, double std, void* g) { SV_STATUS_FN(T(t).normal_(mean, std, gen_of(g))) }

// Copies `nbytes` from host memory into a new CPU tensor of the given shape and dtype.
SV_API void* sv_from_data(const void* data, int64_t nbytes, const int64_t* shape, int32_t nd, int32_t dtype) {
  try {
    auto t = at::empty(arr(shape, nd), at::TensorOptions().dtype(static_cast<at::ScalarType>(dtype)));
    int64_t expected = t.numel() * static_cast<int64_t>(t.element_size());
    TORCH_CHECK(expected == nbytes, "buffer holds ", nbytes, " bytes but shape ", t.sizes(), " of ", t.scalar_type(),
                " needs ", expected);
    if (nbytes > 0) std::memcpy(t.data_ptr(), data, static_cast<size_t>(nbytes));
    return sv::wrap(t);
  } SV_CATCH_ALL(nullptr)
}
// Copies the tensor's values (any device, any layout) into host memory, in row-major order.
SV_API int32_t sv_copy_to(void* t, void* dst, int64_t nbytes) {
  SV_STATUS_FN({
    auto c = T(t).detach().to(at::kCPU).contiguous();
    int64_t have = c.numel() * static_cast<int64_t>(c.element_size());
    TORCH_CHECK(have == nbytes, "destination holds ", nbytes, " bytes but the tensor has ", have);
    if (nbytes > 0) std::memcpy(dst, c.data_ptr(), static_cast<size_t>(nbytes));
  })
}

// ---- properties ----
SV_API int32_t sv_dim(void* t) { return static_cast<int32_t>(T(t).dim()); }
SV_API void sv_shape(void* t, int64_t* out) {
  auto s = T(t).sizes();
  for (size_t i = 0; i < s.size(); ++i) out[i] = s[i];
}
SV_API int32_t sv_dtype(void* t) { return static_cast<int32_t>(T(t).scalar_type()); }
SV_API int64_t sv_numel(void* t) { return T(t).numel(); }
SV_API int32_t sv_device_type(void* t) { return T(t).is_cuda() ? 1 : 0; }
SV_API int32_t sv_device_index(void* t) { return T(t).is_cuda() ? T(t).get_device() : -1; }
SV_API int32_t sv_requires_grad(void* t) { return T(t).requires_grad() ? 1 : 0; }
SV_API int32_t sv_set_requires_grad(void* t, int32_t on) { SV_STATUS_FN(T(t).requires_grad_(on != 0)) }
SV_API int32_t sv_is_leaf(void* t) { return T(t).is_leaf() ? 1 : 0; }
SV_API int32_t sv_is_contiguous(void* t) { return T(t).is_contiguous() ? 1 : 0; }
SV_API int32_t sv_item(void* t, double* out) { SV_STATUS_FN(*out = T(t).item<double>()) }
SV_API int32_t sv_item_long(void* t, int64_t* out) { SV_STATUS_FN(*out = T(t).item<int64_t>()) }

// ---- conversion, views and shape ----
SV_API void* sv_to_dtype(void* t, int32_t dtype) { SV_TENSOR_FN(T(t).to(static_cast<at::ScalarType>(dtype))) }
SV_API void* sv_to_device(void* t, int32_t dt, int32_t di, int32_t non_blocking) {
  SV_TENSOR_FN(T(t).to(sv::device_of(dt, di), non_blocking != 0))
}
SV_API void* sv_clone(void* t) { SV_TENSOR_FN(T(t).clone()) }
SV_API void* sv_detach(void* t) { SV_TENSOR_FN(T(t).detach()) }
SV_API void* sv_contiguous(void* t) { SV_TENSOR_FN(T(t).contiguous()) }
SV_API void* sv_reshape(void* t, const int64_t* s, int32_t n) { SV_TENSOR_FN(T(t).reshape(arr(s, n))) }
SV_API void* sv_view(void* t, const int64_t* s, int32_t n) { SV_TENSOR_FN(T(t).view(arr(s, n))) }
SV_API void* sv_permute(void* t, const int64_t* d, int32_t n) { SV_TENSOR_FN(T(t).permute(arr(d, n))) }
SV_API void* sv_transpose(void* t, int64_t a, int64_t b) { SV_TENSOR_FN(T(t).transpose(a, b)) }
SV_API void* sv_expand(void* t, const int64_t* s, int32_t n) { SV_TENSOR_FN(T(t).expand(arr(s, n))) }
SV_API void* sv_squeeze(void* t) { SV_TENSOR_FN(T(t).squeeze()) }
SV_API void* sv_squeeze_dim(void* t, int64_t d) { SV_TENSOR_FN(T(t).squeeze(d)) }
SV_API void* sv_unsqueeze(void* t, int64_t d) { SV_TENSOR_FN(T(t).unsqueeze(d)) }
SV_API void* sv_flatten(void* t, int64_t start, int64_t end) { SV_TENSOR_FN(T(t).flatten(start, end)) }
SV_API void* sv_narrow(void* t, int64_t d, int64_t start, int64_t len) { SV_TENSOR_FN(T(t).narrow(d, start, len)) }
SV_API void* sv_slice(void* t, int64_t d, int64_t start, int64_t end, int64_t step) {
  SV_TENSOR_FN(T(t).slice(d, start, end, step))
}
SV_API void* sv_select(void* t, int64_t d, int64_t i) { SV_TENSOR_FN(T(t).select(d, i)) }
SV_API void* sv_index_select(void* t, int64_t d, void* idx) { SV_TENSOR_FN(T(t).index_select(d, T(idx))) }
SV_API void* sv_index_copy(void* t, int64_t d, void* idx, void* src) { SV_TENSOR_FN(T(t).index_copy(d, T(idx), T(src))) }
SV_API void* sv_gather(void* t, int64_t d, void* idx) { SV_TENSOR_FN(T(t).gather(d, T(idx))) }
SV_API void* sv_masked_select(void* t, void* mask) { SV_TENSOR_FN(T(t).masked_select(T(mask))) }
SV_API void* sv_masked_fill(void* t, void* mask, double v) { SV_TENSOR_FN(T(t).masked_fill(T(mask), v)) }
SV_API void* sv_scatter(void* t, int64_t d, void* idx, void* src) { SV_TENSOR_FN(T(t).scatter(d, T(idx), T(src))) }
SV_API void* sv_cat(void** ts, int32_t n, int64_t d) { SV_TENSOR_FN(at::cat(sv::list(ts, n), d)) }
SV_API void* sv_stack(void** ts, int32_t n, int64_t d) { SV_TENSOR_FN(at::stack(sv::list(ts, n), d)) }
SV_API void* sv_flip(void* t, const int64_t* d, int32_t n) { SV_TENSOR_FN(T(t).flip(arr(d, n))) }
SV_API void* sv_roll(void* t, const int64_t* s, const int64_t* d, int32_t n) { SV_TENSOR_FN(T(t).roll(arr(s, n), arr(d, n))) }
SV_API void* sv_repeat(void* t, const int64_t* r, int32_t n) { SV_TENSOR_FN(T(t).repeat(arr(r, n))) }
SV_API void* sv_one_hot(void* t, int64_t classes) { SV_TENSOR_FN(at::one_hot(T(t), classes)) }
SV_API void* sv_nonzero(void* t) { SV_TENSOR_FN(T(t).nonzero()) }

// ---- arithmetic (broadcasting, type promotion as in PyTorch) ----
SV_API void* sv_add(void* a, void* b, double alpha) { SV_TENSOR_FN(at::add(T(a), T(b), alpha_of(alpha))) }
SV_API void* sv_sub(void* a, void* b, double alpha) { SV_TENSOR_FN(at::sub(T(a), T(b), alpha_of(alpha))) }
SV_API void* sv_mul(void* a, void* b) { SV_TENSOR_FN(at::mul(T(a), T(b))) }
SV_API void* sv_div(void* a, void* b) { SV_TENSOR_FN(at::div(T(a), T(b))) }
SV_API void* sv_add_scalar(void* a, double s, int32_t integral) { SV_TENSOR_FN(at::add(T(a), sv::scalar(s, integral))) }
SV_API void* sv_mul_scalar(void* a, double s, int32_t integral) { SV_TENSOR_FN(at::mul(T(a), sv::scalar(s, integral))) }
SV_API void* sv_div_scalar(void* a, double s) { SV_TENSOR_FN(at::div(T(a), s)) }
SV_API void* sv_rsub_scalar(void* a, double s, int32_t integral) { SV_TENSOR_FN(at::rsub(T(a), sv::scalar(s, integral))) }
SV_API void* sv_pow_scalar(void* a, double e, int32_t integral) { SV_TENSOR_FN(at::pow(T(a), sv::scalar(e, integral))) }
SV_API void* sv_pow(void* a, void* e) { SV_TENSOR_FN(at::pow(T(a), T(e))) }
SV_API void* sv_maximum(void* a, void* b) { SV_TENSOR_FN(at::maximum(T(a), T(b))) }
SV_API void* sv_minimum(void* a, void* b) { SV_TENSOR_FN(at::minimum(T(a), T(b))) }
SV_API void* sv_where(void* c, void* a, void* b) { SV_TENSOR_FN(at::where(T(c), T(a), T(b))) }
SV_API void* sv_lerp(void* a, void* b, double w) { SV_TENSOR_FN(at::lerp(T(a), T(b), w)) }

// Unary element-wise operations, selected by code (mirrors UnaryOp.cs).
SV_API void* sv_unary(void* a, int32_t op) {
  try {
    const at::Tensor& x = T(a);
    switch (op) {
      case 0: return sv::wrap(at::neg(x));
      case 1: return sv::wrap(at::exp(x));
      case 2: return sv::wrap(at::log(x));
      case 3: return sv::wrap(at::sqrt(x));
      case 4: return sv::wrap(at::rsqrt(x));
      case 5: return sv::wrap(at::abs(x));
      case 6: return sv::wrap(at::sign(x));
      case 7: return sv::wrap(at::floor(x));
      case 8: return sv::wrap(at::ceil(x));
      case 9: return sv::wrap(at::round(x));
      case 10: return sv::wrap(at::sin(x));
      case 11: return sv::wrap(at::cos(x));
      case 12: return sv::wrap(at::reciprocal(x));
      case 13: return sv::wrap(at::logical_not(x));
      case 14: return sv::wrap(at::isnan(x));
      case 15: return sv::wrap(at::isfinite(x));
      case 16: return sv::wrap(at::log1p(x));
      case 17: return sv::wrap(at::square(x));
      default: TORCH_CHECK_VALUE(false, "unknown unary op code ", op);
    }
  } SV_CATCH_ALL(nullptr)
}
// Comparisons (0 eq, 1 ne, 2 lt, 3 le, 4 gt, 5 ge), against a tensor or a scalar.
SV_API void* sv_compare(void* a, void* b, int32_t op) {
  try {
    const at::Tensor &x = T(a), &y = T(b);
    switch (op) {
      case 0: return sv::wrap(at::eq(x, y));
      case 1: return sv::wrap(at::ne(x, y));
      case 2: return sv::wrap(at::lt(x, y));
      case 3: return sv::wrap(at::le(x, y));
      case 4: return sv::wrap(at::gt(x, y));
      case 5: return sv::wrap(at::ge(x, y));
      default: TORCH_CHECK_VALUE(false, "unknown comparison code ", op);
    }
  } SV_CATCH_ALL(nullptr)
}
SV_API void* sv_compare_scalar(void* a, double s, int32_t op) {
  try {
    const at::Tensor& x = T(a);
    switch (op) {
      case 0: return sv::wrap(at::eq(x, s));
      case 1: return sv::wrap(at::ne(x, s));
      case 2: return sv::wrap(at::lt(x, s));
      case 3: return sv::wrap(at::le(x, s));
      case 4: return sv::wrap(at::gt(x, s));
      case 5: return sv::wrap(at::ge(x, s));
      default: TORCH_CHECK_VALUE(false, "unknown comparison code ", op);
    }
  } SV_CATCH_ALL(nullptr)
}
// clamp with optional bounds (has_min / has_max flags).
SV_API void* sv_clamp(void* a, int32_t has_min, double mn, int32_t has_max, double mx) {
  SV_TENSOR_FN(at::clamp(T(a), has_min ? c10::optional<at::Scalar>(mn) : c10::nullopt,
                         has_max ? c10::optional<at::Scalar>(mx) : c10::nullopt))
}

// ---- reductions ----
SV_API void* sv_sum(void* a) { SV_TENSOR_FN(T(a).sum()) }
SV_API void* sv_sum_dims(void* a, const int64_t* d, int32_t n, int32_t keep) { SV_TENSOR_FN(T(a).sum(arr(d, n), keep != 0)) }
SV_API void* sv_mean(void* a) { SV_TENSOR_FN(T(a).mean()) }
SV_API void* sv_mean_dims(void* a, const int64_t* d, int32_t n, int32_t keep) { SV_TENSOR_FN(T(a).mean(arr(d, n), keep != 0)) }
SV_API void* sv_max(void* a) { SV_TENSOR_FN(T(a).max()) }
SV_API void* sv_min(void* a) { SV_TENSOR_FN(T(a).min()) }
SV_API int32_t sv_max_dim(void* a, int64_t d, int32_t keep, void** values, void** indices) {
  SV_STATUS_FN({
    auto r = T(a).max(d, keep != 0);
    *values = sv::wrap(std::get<0>(r));
    *indices = sv::wrap(std::get<1>(r));
  })
}
SV_API int32_t sv_min_dim(void* a, int64_t d, int32_t keep, void** values, void** indices) {
  SV_STATUS_FN({
    auto r = T(a).min(d, keep != 0);
    *values = sv::wrap(std::get<0>(r));
    *indices = sv::wrap(std::get<1>(r));
  })
}
SV_API void* sv_argmax(void* a, int64_t d, int32_t keep) { SV_TENSOR_FN(T(a).argmax(d, keep != 0)) }
SV_API void* sv_argmin(void* a, int64_t d, int32_t keep) { SV_TENSOR_FN(T(a).argmin(d, keep != 0)) }
SV_API int32_t sv_topk(void* a, int64_t k, int64_t d, int32_t largest, int32_t sorted, void** values, void** indices) {
  SV_STATUS_FN({
    auto r = T(a).topk(k, d, largest != 0, sorted != 0);
    *values = sv::wrap(std::get<0>(r));
    *indices = sv::wrap(std::get<1>(r));
  })
}
SV_API int32_t sv_sort(void* a, int64_t d, int32_t descending, void** values, void** indices) {
  SV_STATUS_FN({
    auto r = T(a).sort(d, descending != 0);
    *values = sv::wrap(std::get<0>(r));
    *indices = sv::wrap(std::get<1>(r));
  })
}
SV_API void* sv_std(void* a, const int64_t* d, int32_t n, int32_t unbiased, int32_t keep) {
  SV_TENSOR_FN(n == 0 ? at::std(T(a), unbiased != 0) : at::std(T(a), arr(d, n), unbiased != 0, keep != 0))
}
SV_API void* sv_var(void* a, const int64_t* d, int32_t n, int32_t unbiased, int32_t keep) {
  SV_TENSOR_FN(n == 0 ? at::var(T(a), unbiased != 0) : at::var(T(a), arr(d, n), unbiased != 0, keep != 0))
}
SV_API void* sv_norm(void* a, double p) { SV_TENSOR_FN(at::norm(T(a), p)) }
SV_API void* sv_cumsum(void* a, int64_t d) { SV_TENSOR_FN(at::cumsum(T(a), d)) }
SV_API void* sv_logsumexp(void* a, int64_t d, int32_t keep) { SV_TENSOR_FN(at::logsumexp(T(a), d, keep != 0)) }
SV_API int32_t sv_equal(void* a, void* b) {
  try { return at::equal(T(a), T(b)) ? 1 : 0; } SV_CATCH_ALL(-1)
}

// ---- linear algebra ----
SV_API void* sv_matmul(void* a, void* b) { SV_TENSOR_FN(at::matmul(T(a), T(b))) }
SV_API void* sv_linear(void* x, void* w, void* b) { SV_TENSOR_FN(at::linear(T(x), T(w), opt(b))) }

// ---- in-place operations (what optimizers need) ----
SV_API int32_t sv_add_(void* a, void* b, double alpha) { SV_STATUS_FN(T(a).add_(T(b), alpha_of(alpha))) }
SV_API int32_t sv_add_scalar_(void* a, double s, int32_t integral) { SV_STATUS_FN(T(a).add_(sv::scalar(s, integral))) }
SV_API int32_t sv_sub_(void* a, void* b, double alpha) { SV_STATUS_FN(T(a).sub_(T(b), alpha_of(alpha))) }
SV_API int32_t sv_mul_(void* a, void* b) { SV_STATUS_FN(T(a).mul_(T(b))) }
SV_API int32_t sv_mul_scalar_(void* a, double s, int32_t integral) { SV_STATUS_FN(T(a).mul_(sv::scalar(s, integral))) }
SV_API int32_t sv_div_(void* a, void* b) { SV_STATUS_FN(T(a).div_(T(b))) }
SV_API int32_t sv_div_scalar_(void* a, double s) { SV_STATUS_FN(T(a).div_(s)) }
SV_API int32_t sv_addcmul_(void* a, void* t1, void* t2, double v) { SV_STATUS_FN(T(a).addcmul_(T(t1), T(t2), v)) }
SV_API int32_t sv_addcdiv_(void* a, void* t1, void* t2, double v) { SV_STATUS_FN(T(a).addcdiv_(T(t1), T(t2), v)) }
SV_API int32_t sv_copy_(void* a, void* src) { SV_STATUS_FN(T(a).copy_(T(src))) }
SV_API int32_t sv_zero_(void* a) { SV_STATUS_FN(T(a).zero_()) }
SV_API int32_t sv_fill_(void* a, double v) { SV_STATUS_FN(T(a).fill_(v)) }
SV_API int32_t sv_clamp_(void* a, int32_t has_min, double mn, int32_t has_max, double mx) {
  SV_STATUS_FN(T(a).clamp_(has_min ? c10::optional<at::Scalar>(mn) : c10::nullopt,
                           has_max ? c10::optional<at::Scalar>(mx) : c10::nullopt))
}
SV_API int32_t sv_lerp_(void* a, void* b, double w) { SV_STATUS_FN(T(a).lerp_(T(b), w)) }
SV_API int32_t sv_sqrt_(void* a) { SV_STATUS_FN(T(a).sqrt_()) }
SV_API int32_t sv_maximum_out(void* out, void* a, void* b) { SV_STATUS_FN(at::maximum_out(T(out), T(a), T(b))) }

// ---- autograd ----
SV_API int32_t sv_backward(void* t, void* grad, int32_t retain_graph) {
  SV_STATUS_FN(T(t).backward(opt(grad), retain_graph != 0 ? c10::optional<bool>(true) : c10::nullopt, false))
}
// Writes the gradient handle (or NULL when there is none) to *out.
SV_API int32_t sv_grad(void* t, void** out) {
  SV_STATUS_FN({
    const at::Tensor& g = T(t).grad();
    *out = g.defined() ? sv::wrap(g) : nullptr;
  })
}
SV_API int32_t sv_set_grad(void* t, void* g) { SV_STATUS_FN(T(t).mutable_grad() = opt(g)) }
SV_API int32_t sv_retain_grad(void* t) { SV_STATUS_FN(T(t).retain_grad()) }
