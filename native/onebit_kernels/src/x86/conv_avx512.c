/*
 * Binary conv with AVX-512: sixteen output channels per vector, one broadcast activation word ANDed with the same
 * filter word of all sixteen (conv_plan.h), VPOPCNTD, one accumulator per plane; the identity of conv.c,
 *   acc = 4·Σ_p 2^p·popcount(W ∧ A_p) − 2·z·Σ_valid popcount(W) − (2·data − z·taps·Cin),
 * in 32-bit lanes that wrap as conv.c's uint32 sums do.
 */
#include <immintrin.h>
#include "conv_plan.h"

OB_TARGET_AVX512 static inline __attribute__((always_inline)) void pixel_block(const ob_conv_plan *P,
    const uint32_t *const *strip_rows, int32_t sx, const uint32_t *wb, int32_t *out, __mmask16 store, __m512i border,
    __m512i other, const int32_t bits)
{
    const int32_t k = P->k, span = k * P->wpc, sw = P->strip_words;
    __m512i a[8];
    for (int32_t p = 0; p < bits; p++) a[p] = _mm512_setzero_si512();
    for (int32_t ky = 0; ky < k; ky++)
    {
        const uint32_t *row = strip_rows[ky] + (int64_t)sx * P->wpc;
        const uint32_t *w = wb + (int64_t)ky * span * 16;
        for (int32_t j = 0; j < span; j++)
        {
            __m512i wv = _mm512_loadu_si512((const void *)(w + j * 16));
            for (int32_t p = 0; p < bits; p++)
                a[p] = _mm512_add_epi32(a[p], _mm512_popcnt_epi32(_mm512_and_si512(wv, _mm512_set1_epi32((int)row[p * sw + j]))));
        }
    }
    __m512i dot = a[0];
    for (int32_t p = 1; p < bits; p++) dot = _mm512_add_epi32(dot, _mm512_slli_epi32(a[p], (unsigned)p));
    __m512i r = _mm512_sub_epi32(_mm512_sub_epi32(_mm512_slli_epi32(dot, 2), border), other);
    _mm512_mask_storeu_epi32(out, store, r);
}

OB_TARGET_AVX512 static inline __attribute__((always_inline)) void conv_rows(const ob_conv_plan *P, const ob_conv_layer *L,
    int32_t *acc, int32_t out_rows, int32_t oy_start, int32_t oy_end, const int32_t bits)
{
    const int32_t k = P->k, s = P->stride, cout = P->cout, F = P->filter_words, taps_all = k * k;
    const uint32_t z = (uint32_t)L->zero_code, cin = (uint32_t)L->in_channels;
    const uint32_t *strip_rows[OB_X86_MAX_K], *level_rows[OB_X86_MAX_K];
    for (int32_t oy = oy_start; oy < oy_end; oy++)
    {
        int32_t ky0, ky1;
        ob_conv_plan_row(P, L, oy, strip_rows, level_rows, &ky0, &ky1);
        for (int32_t ox = 0; ox < L->out_width; ox++)
        {
            int32_t kx0, kx1;
            ob_conv_plan_columns(L, ox, &kx0, &kx1);
            uint32_t data = 0;
            for (int32_t ky = 0; ky < k; ky++)
                for (int32_t kx = 0; kx < k; kx++) data += level_rows[ky][ox * s + kx];
            P->other[ox] = 2u * data - z * (uint32_t)((ky1 - ky0) * (kx1 - kx0)) * cin;
        }
        int32_t *out_row = acc + (int64_t)(oy % out_rows) * L->out_width * cout;
        for (int32_t b = 0; b < P->blocks; b++)
        {
            const uint32_t *wb = P->weights_t + (int64_t)b * F * 16;
            int32_t left = cout - b * 16;
            __mmask16 store = left >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << left) - 1u);
            __m512i full = z != 0 ? _mm512_mullo_epi32(_mm512_loadu_si512((const void *)(P->full_ones + b * 16)), _mm512_set1_epi32((int)(2u * z)))
                                  : _mm512_setzero_si512();
            for (int32_t ox = 0; ox < L->out_width; ox++)
            {
                __m512i border = full;
                if (z != 0)
                {
                    int32_t kx0, kx1;
                    ob_conv_plan_columns(L, ox, &kx0, &kx1);
                    if ((ky1 - ky0) * (kx1 - kx0) != taps_all)
                    {
                        __m512i ones = _mm512_setzero_si512();
                        for (int32_t ky = ky0; ky < ky1; ky++)
                            for (int32_t kx = kx0; kx < kx1; kx++)
                                ones = _mm512_add_epi32(ones, _mm512_loadu_si512((const void *)(P->tap_ones + ((int64_t)b * taps_all + ky * k + kx) * 16)));
                        border = _mm512_mullo_epi32(ones, _mm512_set1_epi32((int)(2u * z)));
                    }
                }
                pixel_block(P, strip_rows, ox * s, wb, out_row + (int64_t)ox * cout + b * 16, store, border,
                    _mm512_set1_epi32((int)P->other[ox]), bits);
            }
        }
    }
}

OB_TARGET_AVX512 int ob_x86_conv_avx512(const ob_conv_layer *L, const uint32_t *weights, const uint32_t *planes,
    int32_t in_rows, int32_t *acc, int32_t out_rows, int32_t oy_start, int32_t oy_end)
{
    if (oy_start == oy_end) return 1;
    ob_conv_plan P;
    if (!ob_conv_plan_make(&P, L, weights, planes, in_rows, 16, oy_start, oy_end)) return 0;
    switch (L->bits)   /* a constant plane count per copy of the loop */
    {
    case 1: conv_rows(&P, L, acc, out_rows, oy_start, oy_end, 1); break;
    case 2: conv_rows(&P, L, acc, out_rows, oy_start, oy_end, 2); break;
    case 4: conv_rows(&P, L, acc, out_rows, oy_start, oy_end, 4); break;
    default: conv_rows(&P, L, acc, out_rows, oy_start, oy_end, 8); break;
    }
    ob_conv_plan_free(&P);
    return 1;
}
