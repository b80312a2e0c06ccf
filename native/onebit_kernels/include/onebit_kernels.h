/*
 * OneBit native kernels: the layers of the integer contract (CONTRACT.md §2-§6) in portable C99, for row ranges of
 * ring buffers exactly as the C# LayerKernels entry points (shared/Kernels/LayerKernels.cs): row y of a tensor lives
 * at slot y % rows of its buffer, HWC (or the bit-planes of CONTRACT.md §2) within a row. No heap, no floating point,
 * no libc calls. Buffers are the C# arrays themselves (uint[] planes, int[] stream and accumulator, short[]
 * 16-bit stream, long[] pool sums) and each comes with its length in elements: every entry point checks the layer's
 * fields and every index it will touch against those lengths before it writes anything, and returns an OB_E_* code
 * instead of reading or writing out of bounds.
 */
#ifndef ONEBIT_KERNELS_H
#define ONEBIT_KERNELS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#define OB_API __declspec(dllexport)
#elif defined(__GNUC__)
#define OB_API __attribute__((visibility("default")))
#else
#define OB_API
#endif

/* Status codes: 0 is success; every error leaves the output buffers untouched. */
#define OB_OK 0
#define OB_E_NULL (-1)   /* a pointer is null */
#define OB_E_LAYER (-2)  /* a layer field outside the contract (kernel size, stride, bits, shift, shapes) */
#define OB_E_ROWS (-3)   /* a ring of no rows, or a row range outside the tensor */
#define OB_E_SHORT (-4)  /* a buffer shorter than the layer or the ring needs */

/* Binary conv, CONTRACT.md §4. Fields as ConvLayer (shared/Model/ConvLayer.cs). */
typedef struct ob_conv_layer {
    int32_t kernel, stride, pad_top, pad_left, in_channels, out_channels;
    int32_t in_height, in_width, out_height, out_width, bits, zero_code;
} ob_conv_layer;

/* Stem, CONTRACT.md §5. Fields as StemLayer. */
typedef struct ob_stem_layer {
    int32_t in_channels, out_channels, kernel, pad_top, pad_left, height, width, shift;
} ob_stem_layer;

/* Quantize, CONTRACT.md §3. Fields as QuantizeLayer; mode 0 thresholds, 1 affine. */
typedef struct ob_quantize_layer {
    int32_t mode, bits, rows, height, width, channels, shift;
} ob_quantize_layer;

/* Residual, CONTRACT.md §5. Fields as ResidualLayer; shortcut 0 identity, 1 average pool 3x3 stride 2. */
typedef struct ob_residual_layer {
    int32_t shortcut, pad_top, pad_left, shift;
    int32_t in_height, in_width, in_channels, out_height, out_width, out_channels;
} ob_residual_layer;

/* Global pool, CONTRACT.md §6. Fields as GlobalPoolLayer. */
typedef struct ob_pool_layer {
    int32_t classes, shift, height, width;
} ob_pool_layer;

/* A short English text for a status code. */
OB_API const char *ob_status_text(int32_t status);

/* Which popcount this build uses ("swar" or "builtin-dispatch"), for the set's description. */
OB_API const char *ob_popcount_kind(void);

/* Code paths. Every build has the portable C (the reference on every CPU and the device's code); x86-64 host builds
 * add AVX2 and AVX-512 (F, BW, DQ, VL, VPOPCNTDQ, BITALG) paths of the hot layers, bit-exact with it, chosen at run time: by default
 * the best the CPU supports, or the one named by the environment variable ONEBIT_NATIVE_PATH (portable, avx2, avx512)
 * when the library loads. ob_select_path overrides that for the calling thread (OB_PATH_DEFAULT returns to it), so
 * tests run every path in one process; it returns OB_E_LAYER, changing nothing, for a path this build or CPU lacks. */
#define OB_PATH_DEFAULT 0
#define OB_PATH_PORTABLE 1
#define OB_PATH_AVX2 2
#define OB_PATH_AVX512 3
OB_API int32_t ob_select_path(int32_t path);

/* Nonzero when this build and CPU can run the path. */
OB_API int32_t ob_path_supported(int32_t path);

/* The path the calling thread runs ("portable", "avx2", "avx512"). */
OB_API const char *ob_path_name(void);

/* How many entry-point calls of the calling thread a vector path computed (the rest ran the portable code), so that
 * tests can see that a vector path ran rather than fell back to the portable loops. */
OB_API int64_t ob_vector_calls(void);

/* Output rows [oy_start, oy_end) of the conv; weights Cout x k x k x wpc(Cin) words (blob layout). */
OB_API int32_t ob_conv_rows(const ob_conv_layer *layer, const uint32_t *weights, int32_t weights_len,
    const uint32_t *planes, int32_t planes_len, int32_t in_rows,
    int32_t *acc, int32_t acc_len, int32_t out_rows, int32_t oy_start, int32_t oy_end);

/* Output rows [oy_start, oy_end) of the stem from the whole H x W x Cin frame of bytes. */
OB_API int32_t ob_stem_rows(const ob_stem_layer *layer, const int32_t *pixel_scale, const int32_t *weight_sum_scale,
    int32_t scales_len, const uint32_t *weights, int32_t weights_len, const uint8_t *pixels, int32_t pixels_len,
    int32_t *stream, int32_t stream_len, int32_t out_rows, int32_t oy_start, int32_t oy_end);

/* Rows [y_start, y_end) of the quantizer. Threshold mode reads thresholds (rows x (2^bits - 1)) and signs (rows);
 * affine mode reads multipliers and offsets (rows each); the other pair may be null with length 0. */
OB_API int32_t ob_quantize_rows(const ob_quantize_layer *layer,
    const int32_t *thresholds, int32_t thresholds_len, const int32_t *signs, int32_t signs_len,
    const int32_t *multipliers, int32_t multipliers_len, const int64_t *offsets, int32_t offsets_len,
    const int32_t *input, int32_t input_len, int32_t in_rows,
    uint32_t *planes, int32_t planes_len, int32_t out_rows, int32_t y_start, int32_t y_end);

/* Output rows [oy_start, oy_end) of the residual over int32 stream rings; stream_out may be stream_in for an
 * identity shortcut over the same ring (row oy is read before it is written). */
OB_API int32_t ob_residual_rows(const ob_residual_layer *layer, const int32_t *multipliers, int32_t multipliers_len,
    const int32_t *stream_in, int32_t in_len, int32_t in_rows, const int32_t *acc, int32_t acc_len, int32_t acc_rows,
    int32_t *stream_out, int32_t out_len, int32_t out_rows, int32_t oy_start, int32_t oy_end);

/* The same over int16 stream rings: the int32 result truncated to 16 bits, exact when StreamBound proves |S| <= 32767. */
OB_API int32_t ob_residual_rows_i16(const ob_residual_layer *layer, const int32_t *multipliers, int32_t multipliers_len,
    const int16_t *stream_in, int32_t in_len, int32_t in_rows, const int32_t *acc, int32_t acc_len, int32_t acc_rows,
    int16_t *stream_out, int32_t out_len, int32_t out_rows, int32_t oy_start, int32_t oy_end);

/* Adds accumulator rows [y_start, y_end) (Classes ints per pixel) to the per-class 64-bit sums. */
OB_API int32_t ob_pool_rows(const ob_pool_layer *layer, const int32_t *acc, int32_t acc_len, int32_t acc_rows,
    int64_t *sums, int32_t sums_len, int32_t y_start, int32_t y_end);

/* logit[o] = clamp_int32(RoundShift(sum[o] * scale[o] + offset[o], shift)). */
OB_API int32_t ob_pool_finish(const ob_pool_layer *layer, const int32_t *scale, int32_t scale_len,
    const int64_t *offset, int32_t offset_len, const int64_t *sums, int32_t sums_len, int32_t *logits, int32_t logits_len);

/* The device preprocessor (FramePreprocessor, shared/Frames). Fields as its constructor's arguments; format as
 * PixelFormat (1 RGB565 high byte first, 2 gray, 3 RGB888). */
typedef struct ob_frame_layer {
    int32_t format, src_width, src_height, out_height, out_width, out_channels;
} ob_frame_layer;

/* The model's input bytes (out_height × out_width × out_channels, HWC) from a camera frame, through the source windows
 * [x0[i], x1[i]) × [y0[j], y1[j]) that FramePreprocessor computed; bit-exact with FramePreprocessor.Process. */
OB_API int32_t ob_preprocess(const ob_frame_layer *layer, const int32_t *x0, const int32_t *x1, int32_t xs_len,
    const int32_t *y0, const int32_t *y1, int32_t ys_len, const uint8_t *frame, int32_t frame_len, uint8_t *input, int32_t input_len);

#ifdef __cplusplus
}
#endif

#endif
