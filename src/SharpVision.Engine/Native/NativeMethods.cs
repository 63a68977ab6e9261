using System.Runtime.InteropServices;

namespace SharpVision.Engine.Native;

/// <summary>P/Invoke declarations of the native shim (native/src/*.cpp). One entry per exported C function.</summary>
/// <remarks>
/// Conventions: tensor-returning functions return <see cref="IntPtr.Zero"/> on failure and status-returning functions
/// return -1; the error code and message are then read with <see cref="sv_last_error_code"/> /
/// <see cref="sv_last_error_message"/> (thread-local on the native side).
/// </remarks>
internal static unsafe class NativeMethods
{
    internal const string Lib = "sharpvision_native";

    // ---- runtime ----
    [DllImport(Lib)] internal static extern int sv_last_error_code();
    [DllImport(Lib)] internal static extern IntPtr sv_last_error_message();
    [DllImport(Lib)] internal static extern void sv_clear_error();
    [DllImport(Lib)] internal static extern IntPtr sv_torch_version();
    [DllImport(Lib)] internal static extern int sv_set_num_threads(int n);
    [DllImport(Lib)] internal static extern int sv_get_num_threads();
    [DllImport(Lib)] internal static extern int sv_set_num_interop_threads(int n);
    [DllImport(Lib)] internal static extern int sv_malloc_tune(long mmapThreshold, long trimThreshold, int mmapMax);
    [DllImport(Lib)] internal static extern void sv_malloc_trim();
    [DllImport(Lib)] internal static extern int sv_manual_seed(ulong seed);
    [DllImport(Lib)] internal static extern int sv_set_deterministic(int on);
    [DllImport(Lib)] internal static extern IntPtr sv_generator_new(ulong seed);
    [DllImport(Lib)] internal static extern IntPtr sv_generator_default();
    [DllImport(Lib)] internal static extern void sv_generator_free(IntPtr g);
    [DllImport(Lib)] internal static extern IntPtr sv_generator_get_state(IntPtr g);
    [DllImport(Lib)] internal static extern int sv_generator_set_state(IntPtr g, IntPtr state);
    [DllImport(Lib)] internal static extern int sv_generator_seed(IntPtr g, ulong seed);
    [DllImport(Lib)] internal static extern int sv_cuda_is_available();
    [DllImport(Lib)] internal static extern int sv_cuda_device_count();
    [DllImport(Lib)] internal static extern int sv_cuda_synchronize(int index);
    [DllImport(Lib)] internal static extern int sv_set_grad_enabled(int on);
    [DllImport(Lib)] internal static extern int sv_is_grad_enabled();

    // ---- lifetime and creation ----
    [DllImport(Lib)] internal static extern void sv_free(IntPtr t);
    [DllImport(Lib)] internal static extern IntPtr sv_shallow_copy(IntPtr t);
    [DllImport(Lib)] internal static extern IntPtr sv_empty(long* shape, int nd, int dtype, int dt, int di, int rg);
    [DllImport(Lib)] internal static extern IntPtr sv_zeros(long* shape, int nd, int dtype, int dt, int di, int rg);
    [DllImport(Lib)] internal static extern IntPtr sv_ones(long* shape, int nd, int dtype, int dt, int di, int rg);
    [DllImport(Lib)] internal static extern IntPtr sv_full(long* shape, int nd, double value, int dtype, int dt, int di, int rg);
    [DllImport(Lib)] internal static extern IntPtr sv_arange(double start, double end, double step, int dtype, int dt, int di);
    [DllImport(Lib)] internal static extern IntPtr sv_linspace(double start, double end, long steps, int dtype, int dt, int di);
    [DllImport(Lib)] internal static extern IntPtr sv_eye(long n, int dtype, int dt, int di);
    [DllImport(Lib)] internal static extern IntPtr sv_rand(long* shape, int nd, IntPtr g, int dtype, int dt, int di);
    [DllImport(Lib)] internal static extern IntPtr sv_randn(long* shape, int nd, IntPtr g, int dtype, int dt, int di);
    [DllImport(Lib)] internal static extern IntPtr sv_randint(long low, long high, long* shape, int nd, IntPtr g, int dtype, int dt, int di);
    [DllImport(Lib)] internal static extern IntPtr sv_randperm(long n, IntPtr g, int dt, int di);
    [DllImport(Lib)] internal static extern IntPtr sv_bernoulli(IntPtr probs, IntPtr g);
    [DllImport(Lib)] internal static extern int sv_uniform_(IntPtr t, double from, double to, IntPtr g);
    [DllImport(Lib)] internal static extern int sv_normal_(IntPtr t, double mean, double std, IntPtr g);
    [DllImport(Lib)] internal static extern IntPtr sv_from_data(void* data, long nbytes, long* shape, int nd, int dtype);
    [DllImport(Lib)] internal static extern int sv_copy_to(IntPtr t, void* dst, long nbytes);

    // ---- properties ----
    [DllImport(Lib)] internal static extern int sv_dim(IntPtr t);
    [DllImport(Lib)] internal static extern void sv_shape(IntPtr t, long* output);
    [DllImport(Lib)] internal static extern int sv_dtype(IntPtr t);
    [DllImport(Lib)] internal static extern long sv_numel(IntPtr t);
    [DllImport(Lib)] internal static extern int sv_device_type(IntPtr t);
    [DllImport(Lib)] internal static extern int sv_device_index(IntPtr t);
    [DllImport(Lib)] internal static extern int sv_requires_grad(IntPtr t);
    [DllImport(Lib)] internal static extern int sv_set_requires_grad(IntPtr t, int on);
    [DllImport(Lib)] internal static extern int sv_is_leaf(IntPtr t);
    [DllImport(Lib)] internal static extern int sv_is_contiguous(IntPtr t);
    [DllImport(Lib)] internal static extern int sv_item(IntPtr t, double* output);
    [DllImport(Lib)] internal static extern int sv_item_long(IntPtr t, long* output);

    // ---- conversion, views, shape ----
    [DllImport(Lib)] internal static extern IntPtr sv_to_dtype(IntPtr t, int dtype);
    [DllImport(Lib)] internal static extern IntPtr sv_to_device(IntPtr t, int dt, int di, int nonBlocking);
    [DllImport(Lib)] internal static extern IntPtr sv_clone(IntPtr t);
    [DllImport(Lib)] internal static extern IntPtr sv_detach(IntPtr t);
    [DllImport(Lib)] internal static extern IntPtr sv_contiguous(IntPtr t);
    [DllImport(Lib)] internal static extern IntPtr sv_reshape(IntPtr t, long* s, int n);
    [DllImport(Lib)] internal static extern IntPtr sv_view(IntPtr t, long* s, int n);
    [DllImport(Lib)] internal static extern IntPtr sv_permute(IntPtr t, long* d, int n);
    [DllImport(Lib)] internal static extern IntPtr sv_transpose(IntPtr t, long a, long b);
    [DllImport(Lib)] internal static extern IntPtr sv_expand(IntPtr t, long* s, int n);
    [DllImport(Lib)] internal static extern IntPtr sv_squeeze(IntPtr t);
    [DllImport(Lib)] internal static extern IntPtr sv_squeeze_dim(IntPtr t, long d);
    [DllImport(Lib)] internal static extern IntPtr sv_unsqueeze(IntPtr t, long d);
    [DllImport(Lib)] internal static extern IntPtr sv_flatten(IntPtr t, long start, long end);
    [DllImport(Lib)] internal static extern IntPtr sv_narrow(IntPtr t, long d, long start, long len);
    [DllImport(Lib)] internal static extern IntPtr sv_slice(IntPtr t, long d, long start, long end, long step);
    [DllImport(Lib)] internal static extern IntPtr sv_select(IntPtr t, long d, long i);
    [DllImport(Lib)] internal static extern IntPtr sv_index_select(IntPtr t, long d, IntPtr idx);
    [DllImport(Lib)] internal static extern IntPtr sv_index_copy(IntPtr t, long d, IntPtr idx, IntPtr src);
    [DllImport(Lib)] internal static extern IntPtr sv_gather(IntPtr t, long d, IntPtr idx);
    [DllImport(Lib)] internal static extern IntPtr sv_masked_select(IntPtr t, IntPtr mask);
    [DllImport(Lib)] internal static extern IntPtr sv_masked_fill(IntPtr t, IntPtr mask, double v);
    [DllImport(Lib)] internal static extern IntPtr sv_scatter(IntPtr t, long d, IntPtr idx, IntPtr src);
    [DllImport(Lib)] internal static extern IntPtr sv_cat(IntPtr* ts, int n, long d);
    [DllImport(Lib)] internal static extern IntPtr sv_stack(IntPtr* ts, int n, long d);
    [DllImport(Lib)] internal static extern IntPtr sv_flip(IntPtr t, long* d, int n);
    [DllImport(Lib)] internal static extern IntPtr sv_roll(IntPtr t, long* s, long* d, int n);
    [DllImport(Lib)] internal static extern IntPtr sv_repeat(IntPtr t, long* r, int n);
    [DllImport(Lib)] internal static extern IntPtr sv_one_hot(IntPtr t, long classes);
    [DllImport(Lib)] internal static extern IntPtr sv_nonzero(IntPtr t);

    // ---- arithmetic ----
    [DllImport(Lib)] internal static extern IntPtr sv_add(IntPtr a, IntPtr b, double alpha);
    [DllImport(Lib)] internal static extern IntPtr sv_sub(IntPtr a, IntPtr b, double alpha);
    [DllImport(Lib)] internal static extern IntPtr sv_mul(IntPtr a, IntPtr b);
    [DllImport(Lib)] internal static extern IntPtr sv_div(IntPtr a, IntPtr b);
    [DllImport(Lib)] internal static extern IntPtr sv_add_scalar(IntPtr a, double s, int integral);
    [DllImport(Lib)] internal static extern IntPtr sv_mul_scalar(IntPtr a, double s, int integral);
    [DllImport(Lib)] internal static extern IntPtr sv_div_scalar(IntPtr a, double s);
    [DllImport(Lib)] internal static extern IntPtr sv_rsub_scalar(IntPtr a, double s, int integral);
    [DllImport(Lib)] internal static extern IntPtr sv_pow_scalar(IntPtr a, double e, int integral);
    [DllImport(Lib)] internal static extern IntPtr sv_pow(IntPtr a, IntPtr e);
    [DllImport(Lib)] internal static extern IntPtr sv_maximum(IntPtr a, IntPtr b);
    [DllImport(Lib)] internal static extern IntPtr sv_minimum(IntPtr a, IntPtr b);
    [DllImport(Lib)] internal static extern IntPtr sv_where(IntPtr c, IntPtr a, IntPtr b);
    [DllImport(Lib)] internal static extern IntPtr sv_lerp(IntPtr a, IntPtr b, double w);
    [DllImport(Lib)] internal static extern IntPtr sv_unary(IntPtr a, int op);
    [DllImport(Lib)] internal static extern IntPtr sv_compare(IntPtr a, IntPtr b, int op);
    [DllImport(Lib)] internal static extern IntPtr sv_compare_scalar(IntPtr a, double s, int op);
    [DllImport(Lib)] internal static extern IntPtr sv_clamp(IntPtr a, int hasMin, double min, int hasMax, double max);

    // ---- reductions ----
    [DllImport(Lib)] internal static extern IntPtr sv_sum(IntPtr a);
    [DllImport(Lib)] internal static extern IntPtr sv_sum_dims(IntPtr a, long* d, int n, int keep);
    [DllImport(Lib)] internal static extern IntPtr sv_mean(IntPtr a);
    [DllImport(Lib)] internal static extern IntPtr sv_mean_dims(IntPtr a, long* d, int n, int keep);
    [DllImport(Lib)] internal static extern IntPtr sv_max(IntPtr a);
    [DllImport(Lib)] internal static extern IntPtr sv_min(IntPtr a);
    [DllImport(Lib)] internal static extern int sv_max_dim(IntPtr a, long d, int keep, IntPtr* values, IntPtr* indices);
    [DllImport(Lib)] internal static extern int sv_min_dim(IntPtr a, long d, int keep, IntPtr* values, IntPtr* indices);
    [DllImport(Lib)] internal static extern IntPtr sv_argmax(IntPtr a, long d, int keep);
    [DllImport(Lib)] internal static extern IntPtr sv_argmin(IntPtr a, long d, int keep);
    [DllImport(Lib)] internal static extern int sv_topk(IntPtr a, long k, long d, int largest, int sorted, IntPtr* values, IntPtr* indices);
    [DllImport(Lib)] internal static extern int sv_sort(IntPtr a, long d, int descending, IntPtr* values, IntPtr* indices);
    [DllImport(Lib)] internal static extern IntPtr sv_std(IntPtr a, long* d, int n, int unbiased, int keep);
    [DllImport(Lib)] internal static extern IntPtr sv_var(IntPtr a, long* d, int n, int unbiased, int keep);
    [DllImport(Lib)] internal static extern IntPtr sv_norm(IntPtr a, double p);
    [DllImport(Lib)] internal static extern IntPtr sv_cumsum(IntPtr a, long d);
    [DllImport(Lib)] internal static extern IntPtr sv_logsumexp(IntPtr a, long d, int keep);
    [DllImport(Lib)] internal static extern int sv_equal(IntPtr a, IntPtr b);
    [DllImport(Lib)] internal static extern IntPtr sv_matmul(IntPtr a, IntPtr b);
    [DllImport(Lib)] internal static extern IntPtr sv_linear(IntPtr x, IntPtr w, IntPtr b);

    // ---- in place ----
    [DllImport(Lib)] internal static extern int sv_add_(IntPtr a, IntPtr b, double alpha);
    [DllImport(Lib)] internal static extern int sv_add_scalar_(IntPtr a, double s, int integral);
    [DllImport(Lib)] internal static extern int sv_sub_(IntPtr a, IntPtr b, double alpha);
    [DllImport(Lib)] internal static extern int sv_mul_(IntPtr a, IntPtr b);
    [DllImport(Lib)] internal static extern int sv_mul_scalar_(IntPtr a, double s, int integral);
    [DllImport(Lib)] internal static extern int sv_div_(IntPtr a, IntPtr b);
    [DllImport(Lib)] internal static extern int sv_div_scalar_(IntPtr a, double s);
    [DllImport(Lib)] internal static extern int sv_addcmul_(IntPtr a, IntPtr t1, IntPtr t2, double v);
    [DllImport(Lib)] internal static extern int sv_addcdiv_(IntPtr a, IntPtr t1, IntPtr t2, double v);
    [DllImport(Lib)] internal static extern int sv_adam_step(IntPtr* parameters, IntPtr* grads, IntPtr* expAvgs, IntPtr* expAvgSqs, long* steps, int n,
        double lr, double beta1, double beta2, double eps, double weightDecay, int decoupled);
    [DllImport(Lib)] internal static extern int sv_copy_(IntPtr a, IntPtr src);
    [DllImport(Lib)] internal static extern int sv_zero_(IntPtr a);
    [DllImport(Lib)] internal static extern int sv_fill_(IntPtr a, double v);
    [DllImport(Lib)] internal static extern int sv_clamp_(IntPtr a, int hasMin, double min, int hasMax, double max);
    [DllImport(Lib)] internal static extern int sv_lerp_(IntPtr a, IntPtr b, double w);
    [DllImport(Lib)] internal static extern int sv_sqrt_(IntPtr a);
    [DllImport(Lib)] internal static extern int sv_maximum_out(IntPtr output, IntPtr a, IntPtr b);
    [DllImport(Lib)] internal static extern int sv_relu_(IntPtr x);

    // ---- autograd ----
    [DllImport(Lib)] internal static extern int sv_backward(IntPtr t, IntPtr grad, int retainGraph);
    [DllImport(Lib)] internal static extern int sv_grad(IntPtr t, IntPtr* output);
    [DllImport(Lib)] internal static extern int sv_set_grad(IntPtr t, IntPtr g);
    [DllImport(Lib)] internal static extern int sv_retain_grad(IntPtr t);

    // ---- nn ----
    [DllImport(Lib)] internal static extern IntPtr sv_conv2d(IntPtr x, IntPtr w, IntPtr b, long* stride, long* padding, long* dilation, long groups);
    [DllImport(Lib)] internal static extern IntPtr sv_conv2d_padmode(IntPtr x, IntPtr w, IntPtr b, long* stride, int paddingMode, long* dilation, long groups);
    [DllImport(Lib)] internal static extern IntPtr sv_conv_transpose2d(IntPtr x, IntPtr w, IntPtr b, long* stride, long* padding, long* outputPadding, long groups, long* dilation);
    [DllImport(Lib)] internal static extern IntPtr sv_max_pool2d(IntPtr x, long* k, long* s, long* p, long* d, int ceil);
    [DllImport(Lib)] internal static extern IntPtr sv_avg_pool2d(IntPtr x, long* k, long* s, long* p, int ceil, int countPad);
    [DllImport(Lib)] internal static extern IntPtr sv_adaptive_avg_pool2d(IntPtr x, long* output);
    [DllImport(Lib)] internal static extern IntPtr sv_adaptive_max_pool2d(IntPtr x, long* output);
    [DllImport(Lib)] internal static extern IntPtr sv_batch_norm(IntPtr x, IntPtr w, IntPtr b, IntPtr rm, IntPtr rv, int training, double momentum, double eps);
    [DllImport(Lib)] internal static extern IntPtr sv_layer_norm(IntPtr x, long* shape, int n, IntPtr w, IntPtr b, double eps);
    [DllImport(Lib)] internal static extern IntPtr sv_dropout(IntPtr x, double p, int train);
    [DllImport(Lib)] internal static extern IntPtr sv_feature_dropout(IntPtr x, double p, int train);
    [DllImport(Lib)] internal static extern IntPtr sv_relu(IntPtr x);
    [DllImport(Lib)] internal static extern IntPtr sv_relu6(IntPtr x);
    [DllImport(Lib)] internal static extern IntPtr sv_leaky_relu(IntPtr x, double slope);
    [DllImport(Lib)] internal static extern IntPtr sv_gelu(IntPtr x, int tanhApprox);
    [DllImport(Lib)] internal static extern IntPtr sv_silu(IntPtr x);
    [DllImport(Lib)] internal static extern IntPtr sv_hardswish(IntPtr x);
    [DllImport(Lib)] internal static extern IntPtr sv_sigmoid(IntPtr x);
    [DllImport(Lib)] internal static extern IntPtr sv_tanh(IntPtr x);
    [DllImport(Lib)] internal static extern IntPtr sv_softmax(IntPtr x, long d);
    [DllImport(Lib)] internal static extern IntPtr sv_log_softmax(IntPtr x, long d);
    [DllImport(Lib)] internal static extern IntPtr sv_cross_entropy(IntPtr logits, IntPtr target, IntPtr weight, int reduction, long ignoreIndex, double labelSmoothing);
    [DllImport(Lib)] internal static extern IntPtr sv_nll_loss(IntPtr logp, IntPtr target, IntPtr weight, int reduction, long ignoreIndex);
    [DllImport(Lib)] internal static extern IntPtr sv_bce_with_logits(IntPtr x, IntPtr y, IntPtr weight, IntPtr posWeight, int reduction);
    [DllImport(Lib)] internal static extern IntPtr sv_mse_loss(IntPtr x, IntPtr y, int reduction);
    [DllImport(Lib)] internal static extern IntPtr sv_interpolate(IntPtr x, long* size, int mode, int alignCorners);
    [DllImport(Lib)] internal static extern IntPtr sv_affine_grid(IntPtr theta, long* size, int n, int alignCorners);
    [DllImport(Lib)] internal static extern IntPtr sv_grid_sample(IntPtr x, IntPtr grid, int interpolation, int padding, int alignCorners);
    [DllImport(Lib)] internal static extern IntPtr sv_pad(IntPtr x, long* pads, int n, int mode, double value);
}
