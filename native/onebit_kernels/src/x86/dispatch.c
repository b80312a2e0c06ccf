/*
 * Run-time choice of the x86-64 path: the CPU's features (GCC/Clang __builtin_cpu_supports), the process default
 * (ONEBIT_NATIVE_PATH, read once when the library loads) and the calling thread's override (ob_select_path).
 */
#include <stdlib.h>
#include <string.h>
#include "ob_x86.h"

static int32_t process_default = OB_PATH_PORTABLE;
static __thread int32_t thread_override = OB_PATH_DEFAULT;
static __thread int64_t vector_calls;

int64_t ob_vector_calls(void)
{
    return vector_calls;
}

/* Counts a call a vector path computed. */
static int counted(int done)
{
    vector_calls += done;
    return done;
}

int32_t ob_path_supported(int32_t path)
{
    __builtin_cpu_init();
    switch (path)
    {
    case OB_PATH_PORTABLE: return 1;
    case OB_PATH_AVX2: return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("popcnt") && __builtin_cpu_supports("bmi2");
    case OB_PATH_AVX512:
        return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq")
            && __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512vpopcntdq") && __builtin_cpu_supports("avx512bitalg")
            && __builtin_cpu_supports("avx512vnni") && __builtin_cpu_supports("popcnt")
            && __builtin_cpu_supports("bmi2");
    default: return 0;
    }
}

static int32_t path_named(const char *name)
{
    if (strcmp(name, "portable") == 0) return OB_PATH_PORTABLE;
    if (strcmp(name, "avx2") == 0) return OB_PATH_AVX2;
    if (strcmp(name, "avx512") == 0) return OB_PATH_AVX512;
    return OB_PATH_DEFAULT;
}

/* At load: the best path, unless ONEBIT_NATIVE_PATH names one this CPU has. */
__attribute__((constructor)) static void choose_default(void)
{
    const char *named = getenv("ONEBIT_NATIVE_PATH");
    int32_t path = named != 0 ? path_named(named) : OB_PATH_DEFAULT;
    if (path != OB_PATH_DEFAULT && ob_path_supported(path)) process_default = path;
    else process_default = ob_path_supported(OB_PATH_AVX512) ? OB_PATH_AVX512 : ob_path_supported(OB_PATH_AVX2) ? OB_PATH_AVX2 : OB_PATH_PORTABLE;
}

int32_t ob_select_path(int32_t path)
{
    if (path != OB_PATH_DEFAULT && !ob_path_supported(path)) return OB_E_LAYER;
    thread_override = path;
    return OB_OK;
}

int32_t ob_x86_path(void)
{
    return thread_override != OB_PATH_DEFAULT ? thread_override : process_default;
}

const char *ob_path_name(void)
{
    switch (ob_x86_path())
    {
    case OB_PATH_AVX512: return "avx512";
    case OB_PATH_AVX2: return "avx2";
    default: return "portable";
    }
}

int ob_x86_conv(const ob_conv_layer *L, const uint32_t *weights, const uint32_t *planes, int32_t in_rows,
    int32_t *acc, int32_t out_rows, int32_t oy_start, int32_t oy_end)
{
    switch (ob_x86_path())
    {
    case OB_PATH_AVX512: return counted(ob_x86_conv_avx512(L, weights, planes, in_rows, acc, out_rows, oy_start, oy_end));
    case OB_PATH_AVX2: return counted(ob_x86_conv_avx2(L, weights, planes, in_rows, acc, out_rows, oy_start, oy_end));
    default: return 0;
    }
}

int ob_x86_stem(const ob_stem_layer *L, const int32_t *pixel_scale, const int32_t *weight_sum_scale,
    const uint32_t *weights, const uint8_t *pixels, int32_t *stream, int32_t out_rows, int32_t oy_start, int32_t oy_end)
{
    return counted(ob_x86_path() == OB_PATH_AVX512
        && ob_x86_stem_avx512(L, pixel_scale, weight_sum_scale, weights, pixels, stream, out_rows, oy_start, oy_end));
}

int ob_x86_quantize(const ob_quantize_layer *L, const int32_t *thresholds, const int32_t *signs,
    const int32_t *multipliers, const int64_t *offsets, const int32_t *input, int32_t in_rows,
    uint32_t *planes, int32_t out_rows, int32_t y_start, int32_t y_end)
{
    return counted(ob_x86_path() == OB_PATH_AVX512
        && ob_x86_quantize_avx512(L, thresholds, signs, multipliers, offsets, input, in_rows, planes, out_rows, y_start, y_end));
}

int ob_x86_residual(const ob_residual_layer *L, const int32_t *multipliers, int per_channel, int wide,
    const void *stream_in, int32_t in_rows, const int32_t *acc, int32_t acc_rows, void *stream_out, int32_t out_rows,
    int32_t oy_start, int32_t oy_end)
{
    return counted(ob_x86_path() == OB_PATH_AVX512
        && ob_x86_residual_avx512(L, multipliers, per_channel, wide, stream_in, in_rows, acc, acc_rows, stream_out, out_rows, oy_start, oy_end));
}
