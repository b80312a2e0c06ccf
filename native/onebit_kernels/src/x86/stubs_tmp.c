#include "ob_x86.h"
int ob_x86_conv_avx2(const ob_conv_layer *L, const uint32_t *weights, const uint32_t *planes, int32_t in_rows,
    int32_t *acc, int32_t out_rows, int32_t oy_start, int32_t oy_end) { (void)L;(void)weights;(void)planes;(void)in_rows;(void)acc;(void)out_rows;(void)oy_start;(void)oy_end; return 0; }
int ob_x86_stem_avx512(const ob_stem_layer *L, const int32_t *pixel_scale, const int32_t *weight_sum_scale,
    const uint32_t *weights, const uint8_t *pixels, int32_t *stream, int32_t out_rows, int32_t oy_start, int32_t oy_end) { (void)L;(void)pixel_scale;(void)weight_sum_scale;(void)weights;(void)pixels;(void)stream;(void)out_rows;(void)oy_start;(void)oy_end; return 0; }
int ob_x86_quantize_avx512(const ob_quantize_layer *L, const int32_t *thresholds, const int32_t *signs,
    const int32_t *multipliers, const int64_t *offsets, const int32_t *input, int32_t in_rows,
    uint32_t *planes, int32_t out_rows, int32_t y_start, int32_t y_end) { (void)L;(void)thresholds;(void)signs;(void)multipliers;(void)offsets;(void)input;(void)in_rows;(void)planes;(void)out_rows;(void)y_start;(void)y_end; return 0; }
int ob_x86_residual_avx512(const ob_residual_layer *L, const int32_t *multipliers, int per_channel, int wide,
    const void *stream_in, int32_t in_rows, const int32_t *acc, int32_t acc_rows, void *stream_out, int32_t out_rows,
    int32_t oy_start, int32_t oy_end) { (void)L;(void)multipliers;(void)per_channel;(void)wide;(void)stream_in;(void)in_rows;(void)acc;(void)acc_rows;(void)stream_out;(void)out_rows;(void)oy_start;(void)oy_end; return 0; }
