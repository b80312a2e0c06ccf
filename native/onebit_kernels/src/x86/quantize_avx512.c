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

/* Threshold levels when every sign is +1 or −1, in 32-bit lanes with one comparison per threshold: s·X ≥ T is X ≥ T
 * for s = +1, and for s = −1 it is −X ≥ T, i.e. ~X ≥ T − 1 (~X = −X − 1; T = INT32_MIN always holds, and so does
 * ~X ≥ INT32_MIN). So the lanes of sign −1 compare ~X with T − 1 (unit_sign_bound). bound[k]: threshold k's bounds of
 * the sixteen channels, loaded once per row and chunk; flip: all ones in the lanes of sign −1. */
OB_TARGET_AVX512 static inline __m512i unit_sign_levels(__m512i xv, const __m512i *bound, int32_t per, __m512i flip)
{
    const __m512i one = _mm512_set1_epi32(1);
    __m512i xs = _mm512_xor_si512(xv, flip), j = _mm512_setzero_si512();
    for (int32_t k = 0; k < per; k++) j = _mm512_mask_add_epi32(j, _mm512_cmpge_epi32_mask(xs, bound[k]), j, one);
    return j;
}

/* The bound of unit_sign_levels for threshold t and sign s (±1). */
static int32_t unit_sign_bound(int32_t t, int32_t s)
{
    return s > 0 || t == INT32_MIN ? t : t - 1;
}

OB_TARGET_AVX512 int ob_x86_quantize_avx512(const ob_quantize_layer *L, const int32_t *thresholds, const int32_t *signs,
    const int32_t *multipliers, const int64_t *offsets, const int32_t *input, int32_t in_rows,
    uint32_t *planes, int32_t out_rows, int32_t y_start, int32_t y_end)
{
    const int32_t bits = L->bits, c_all = L->channels, wpc = ob_wpc(c_all), per = (1 << bits) - 1;
    const int32_t pixel_words = bits * wpc;
    const int per_channel = L->rows != 1, affine = L->mode == 1;
    /* Threshold mode: per threshold k the rows' thresholds side by side (transposed), or, when every sign is ±1, the
     * 32-bit bounds of unit_sign_levels (one row's, or side by side) and the channels of sign −1 per 16. */
    int unit_signs = !affine;
    for (int32_t r = 0; unit_signs && r < L->rows; r++) unit_signs = signs[r] == 1 || signs[r] == -1;
    int32_t *transposed = 0;
    __mmask16 *negative = 0;
    if (!affine && (per_channel || unit_signs))
    {
        int32_t chunks = (c_all + 15) / 16;
        transposed = (int32_t *)malloc((size_t)per * (size_t)c_all * sizeof(int32_t) + (size_t)chunks * sizeof(__mmask16));
        if (transposed == 0) return 0;
        negative = (__mmask16 *)(transposed + (size_t)per * (size_t)c_all);
        for (int32_t i = 0; i < chunks; i++) negative[i] = 0;
        for (int32_t r = 0; r < L->rows; r++)
        {
            for (int32_t k = 0; k < per; k++)
            {
                int32_t t = thresholds[(int64_t)r * per + k];
                transposed[(per_channel ? (int64_t)k * c_all : 0) + (per_channel ? r : k)] = unit_signs ? unit_sign_bound(t, signs[r]) : t;
            }
            if (unit_signs && signs[r] < 0) negative[r / 16] = (__mmask16)(negative[r / 16] | (1u << (r & 15)));
        }
        if (unit_signs && !per_channel && signs[0] < 0)
            for (int32_t i = 0; i < chunks; i++) negative[i] = 0xFFFF;
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
            __m512i bound[255], flip = _mm512_setzero_si512();
            if (unit_signs)
            {
                flip = _mm512_movm_epi32(negative[c >> 4]);
                for (int32_t k = 0; k < per; k++)
                    bound[k] = per_channel ? _mm512_maskz_loadu_epi32(lanes, transposed + (int64_t)k * c_all + c) : _mm512_set1_epi32(transposed[k]);
            }
            for (int32_t x = 0; x < L->width; x++)
            {
                __m512i xv = _mm512_maskz_loadu_epi32(lanes, in_row + (int64_t)x * c_all + c);
                __m512i level = affine ? affine_levels(xv, &q, shift, top)
                    : unit_signs ? (per == 3 ? unit_sign_levels(xv, bound, 3, flip) : unit_sign_levels(xv, bound, per, flip))
                    : threshold_levels(xv, &q, thresholds, per_channel ? transposed : 0, c_all, per, c, lanes);
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
