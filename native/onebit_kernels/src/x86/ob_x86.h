/*
 * The host's x86-64 paths: the same layers as the portable sources, vectorised with AVX-512 (VPOPCNTDQ for the conv)
 * or AVX2, chosen at run time from the CPU's features (dispatch.c). Each entry point returns 1 when it computed the
 * rows and 0 when the layer is one it leaves to the portable code (a shape it does not handle, an allocation that
 * failed); the portable entry points call it after their checks, so the arguments here are already valid.
 * Compiled only for x86-64 hosts with GCC or Clang (CMake option ONEBIT_X86_PATHS); the device never sees these files.
 */
#ifndef OB_X86_H
#define OB_X86_H

#include "../ob_internal.h"

/* The path for the calling thread: OB_PATH_PORTABLE, OB_PATH_AVX2 or OB_PATH_AVX512. */
int32_t ob_x86_path(void);

/* Kernel sizes the vector paths keep on the stack (conv.c checks k ≤ 7). */
#define OB_X86_MAX_K 7

/* The dispatchers the portable entry points call: the calling thread's path, or 0 for the portable code. */
int ob_x86_conv(const ob_conv_layer *L, const uint32_t *weights, const uint32_t *planes, int32_t in_rows,
    int32_t *acc, int32_t out_rows, int32_t oy_start, int32_t oy_end);
int ob_x86_stem(const ob_stem_layer *L, const int32_t *pixel_scale, const int32_t *weight_sum_scale,
    const uint32_t *weights, const uint8_t *pixels, int32_t *stream, int32_t out_rows, int32_t oy_start, int32_t oy_end);
int ob_x86_quantize(const ob_quantize_layer *L, const int32_t *thresholds, const int32_t *signs,
    const int32_t *multipliers, const int64_t *offsets, const int32_t *input, int32_t in_rows,
    uint32_t *planes, int32_t out_rows, int32_t y_start, int32_t y_end);
int ob_x86_residual(const ob_residual_layer *L, const int32_t *multipliers, int per_channel, int wide,
    const void *stream_in, int32_t in_rows, const int32_t *acc, int32_t acc_rows, void *stream_out, int32_t out_rows,
    int32_t oy_start, int32_t oy_end);

#define OB_TARGET_AVX512 __attribute__((target("avx512f,avx512bw,avx512dq,avx512vl,avx512vpopcntdq,avx512bitalg,avx512vnni,popcnt,bmi2")))
#define OB_TARGET_AVX2 __attribute__((target("avx2,popcnt,bmi2")))

int ob_x86_conv_avx512(const ob_conv_layer *L, const uint32_t *weights, const uint32_t *planes, int32_t in_rows,
    int32_t *acc, int32_t out_rows, int32_t oy_start, int32_t oy_end);
int ob_x86_conv_avx2(const ob_conv_layer *L, const uint32_t *weights, const uint32_t *planes, int32_t in_rows,
    int32_t *acc, int32_t out_rows, int32_t oy_start, int32_t oy_end);
int ob_x86_stem_avx512(const ob_stem_layer *L, const int32_t *pixel_scale, const int32_t *weight_sum_scale,
    const uint32_t *weights, const uint8_t *pixels, int32_t *stream, int32_t out_rows, int32_t oy_start, int32_t oy_end);
int ob_x86_quantize_avx512(const ob_quantize_layer *L, const int32_t *thresholds, const int32_t *signs,
    const int32_t *multipliers, const int64_t *offsets, const int32_t *input, int32_t in_rows,
    uint32_t *planes, int32_t out_rows, int32_t y_start, int32_t y_end);
int ob_x86_residual_avx512(const ob_residual_layer *L, const int32_t *multipliers, int per_channel, int wide,
    const void *stream_in, int32_t in_rows, const int32_t *acc, int32_t acc_rows, void *stream_out, int32_t out_rows,
    int32_t oy_start, int32_t oy_end);

#endif
