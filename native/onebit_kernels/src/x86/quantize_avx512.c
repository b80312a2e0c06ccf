/*
 * The quantizer with AVX-512, sixteen channels per vector: the level of each channel in 64-bit lanes exactly as
 * quantize.c computes it (threshold mode: the count of s·X ≥ T_k; affine mode: (M·X + B) >> shift, the sum wrapping,
 * clamped to [0, 2^bits − 1]), then plane p of the sixteen channels is one VPTESTMD mask of bit p of their levels.
 */
#include <immintrin.h>
#include <stdlib.h>
#include "ob_x86.h"

/* The per-channel parameters of channels [c, c + 16) in 64-bit lanes, low and high half, loaded once per row. */
typedef struct params {
    __m512i m[2], b[2];
} params;

OB_TARGET_AVX512 static inline params load_params(const int32_t *mult, const int64_t *off, int per_channel, int32_t c, __mmask16 lanes)
{
    params q;
    for (int h = 0; h < 2; h++)
    {
        __mmask8 half = (__mmask8)(lanes >> (8 * h));
        q.m[h] = per_channel ? _mm512_cvtepi32_epi64(_mm256_maskz_loadu_epi32(half, mult + c + 8 * h)) : _mm512_set1_epi64(mult[0]);
        q.b[h] = off == 0 ? _mm512_setzero_si512() : per_channel ? _mm512_maskz_loadu_epi64(half, off + c + 8 * h) : _mm512_set1_epi64(off[0]);
    }
    return q;
}

OB_TARGET_AVX512 static inline __m512i join(__m256i lo, __m256i hi)
{
    return _mm512_inserti64x4(_mm512_castsi256_si512(lo), hi, 1);
}

/* Affine levels of sixteen channels: clamp((M·X + B) >> shift, 0, top), the sum wrapping in 64 bits. */
OB_TARGET_AVX512 static inline __m512i affine_levels(__m512i xv, const params *q, __m128i shift, __m512i top)
{
    __m512i level[2];
    for (int h = 0; h < 2; h++)
    {
        __m512i x64 = _mm512_cvtepi32_epi64(h ? _mm512_extracti64x4_epi64(xv, 1) : _mm512_castsi512_si256(xv));
        __m512i a = _mm512_sra_epi64(_mm512_add_epi64(_mm512_mul_epi32(x64, q->m[h]), q->b[h]), shift);
        level[h] = _mm512_min_epi64(_mm512_max_epi64(a, _mm512_setzero_si512()), top);
    }
    return join(_mm512_cvtepi64_epi32(level[0]), _mm512_cvtepi64_epi32(level[1]));
}

/* Threshold levels of sixteen channels: #{k : s·X ≥ T_k} in 64 bits; q->m holds the signs. transposed: per threshold
 * k the channels' thresholds side by side (per-channel rows), else null and `thresholds` is the one row. */
OB_TARGET_AVX512 static inline __m512i threshold_levels(__m512i xv, const params *q, const int32_t *thresholds,
    const int32_t *transposed, int32_t channels, int32_t per, int32_t c, __mmask16 lanes)
{
    __m512i level[2];
    const __m512i one = _mm512_set1_epi64(1);
    for (int h = 0; h < 2; h++)
    {
        __mmask8 half = (__mmask8)(lanes >> (8 * h));
        __m512i x64 = _mm512_cvtepi32_epi64(h ? _mm512_extracti64x4_epi64(xv, 1) : _mm512_castsi512_si256(xv));
        __m512i v = _mm512_mul_epi32(x64, q->m[h]), j = _mm512_setzero_si512();
        for (int32_t k = 0; k < per; k++)
        {
            __m512i t = transposed ? _mm512_cvtepi32_epi64(_mm256_maskz_loadu_epi32(half, transposed + (int64_t)k * channels + c + 8 * h))
                                   : _mm512_set1_epi64(thresholds[k]);
            j = _mm512_mask_add_epi64(j, _mm512_cmpge_epi64_mask(v, t), j, one);
        }
        level[h] = j;
    }
    return join(_mm512_cvtepi64_epi32(level[0]), _mm512_cvtepi64_epi32(level[1]));
}

OB_TARGET_AVX512 int ob_x86_quantize_avx512(const ob_quantize_layer *L, const int32_t *thresholds, const int32_t *signs,
    const int32_t *multipliers, const int64_t *offsets, const int32_t *input, int32_t in_rows,
    uint32_t *planes, int32_t out_rows, int32_t y_start, int32_t y_end)
{
    const int32_t bits = L->bits, c_all = L->channels, wpc = ob_wpc(c_all), per = (1 << bits) - 1;
    const int32_t pixel_words = bits * wpc;
    const int per_channel = L->rows != 1, affine = L->mode == 1;
    int32_t *transposed = 0;
    if (!affine && per_channel)
    {
        transposed = (int32_t *)malloc((size_t)per * (size_t)c_all * sizeof(int32_t));
        if (transposed == 0) return 0;
        for (int32_t c = 0; c < c_all; c++)
            for (int32_t k = 0; k < per; k++) transposed[(int64_t)k * c_all + c] = thresholds[(int64_t)c * per + k];
    }
    const __m128i shift = _mm_cvtsi32_si128(affine ? L->shift : 0);
    const __m512i top = _mm512_set1_epi64(per);
    /* Row by row (a later row may overwrite an earlier one's ring slot, as in quantize.c); within a row sixteen
     * channels at a time over every pixel, the first half of a plane word written whole, the second ORed in. */
    for (int32_t y = y_start; y < y_end; y++)
    {
        const int32_t *in_row = input + (int64_t)(y % in_rows) * L->width * c_all;
        uint32_t *out_row = planes + (int64_t)(y % out_rows) * L->width * pixel_words;
        for (int32_t c = 0; c < c_all; c += 16)
        {
            int32_t n = c_all - c < 16 ? c_all - c : 16, word = c >> 5, high = c & 16;
            __mmask16 lanes = (__mmask16)((1u << n) - 1u);
            params q = affine ? load_params(multipliers, offsets, per_channel, c, lanes) : load_params(signs, 0, per_channel, c, lanes);
            for (int32_t x = 0; x < L->width; x++)
            {
                __m512i xv = _mm512_maskz_loadu_epi32(lanes, in_row + (int64_t)x * c_all + c);
                __m512i level = affine ? affine_levels(xv, &q, shift, top) : threshold_levels(xv, &q, thresholds, transposed, c_all, per, c, lanes);
                uint32_t *pixel = out_row + (int64_t)x * pixel_words + word;
                for (int32_t p = 0; p < bits; p++)
                {
                    uint32_t m = (uint32_t)_mm512_mask_test_epi32_mask(lanes, level, _mm512_set1_epi32(1 << p));
                    if (high) pixel[p * wpc] |= m << 16;
                    else pixel[p * wpc] = m;
                }
            }
        }
    }
    free(transposed);
    return 1;
}
