/*
 * Binary conv with AVX2 for CPUs without AVX-512: eight output channels per vector over the same plan as the AVX-512
 * path (conv_plan.h). AVX2 has no vector popcount, so each byte is counted with two 16-entry table lookups (VPSHUFB on
 * the nibbles; W. Muła, D. Kurz, D. Lemire, "Faster population counts using AVX2 instructions", Computer Journal 61(1),
 * 2018); the byte counts of up to 31 words add up in bytes (31·8 < 256) before they are widened to the 32-bit lanes.
 */
#include <immintrin.h>
#include "conv_plan.h"

/* Words whose byte counts may add up in one byte: 31 · 8 = 248. */
#define OB_BYTE_RUN 31

OB_TARGET_AVX2 static inline __m256i popcount_bytes(__m256i v)
{
    const __m256i table = _mm256_setr_epi8(0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4, 0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4);
    const __m256i low = _mm256_set1_epi8(0x0F);
    __m256i lo = _mm256_and_si256(v, low), hi = _mm256_and_si256(_mm256_srli_epi16(v, 4), low);
    return _mm256_add_epi8(_mm256_shuffle_epi8(table, lo), _mm256_shuffle_epi8(table, hi));
}

OB_TARGET_AVX2 static inline __m256i widen(__m256i bytes)
{
    return _mm256_madd_epi16(_mm256_maddubs_epi16(bytes, _mm256_set1_epi8(1)), _mm256_set1_epi16(1));
}

OB_TARGET_AVX2 static inline __attribute__((always_inline)) void pixel_block(const ob_conv_plan *P,
    const uint32_t *const *strip_rows, int32_t sx, const uint32_t *wb, int32_t *out, __m256i store, __m256i border,
    __m256i other, const int32_t bits)
{
    const int32_t k = P->k, span = k * P->wpc, sw = P->strip_words;
    __m256i a[8], c[8];
    int32_t run = 0;
    for (int32_t p = 0; p < bits; p++) a[p] = c[p] = _mm256_setzero_si256();
    for (int32_t ky = 0; ky < k; ky++)
    {
        const uint32_t *row = strip_rows[ky] + (int64_t)sx * P->wpc;
        const uint32_t *w = wb + (int64_t)ky * span * 8;
        for (int32_t j = 0; j < span; j++)
        {
            __m256i wv = _mm256_loadu_si256((const __m256i *)(w + j * 8));
            for (int32_t p = 0; p < bits; p++)
                c[p] = _mm256_add_epi8(c[p], popcount_bytes(_mm256_and_si256(wv, _mm256_set1_epi32((int)row[p * sw + j]))));
            if (++run == OB_BYTE_RUN)
            {
                for (int32_t p = 0; p < bits; p++) { a[p] = _mm256_add_epi32(a[p], widen(c[p])); c[p] = _mm256_setzero_si256(); }
                run = 0;
            }
        }
    }
    __m256i dot = _mm256_setzero_si256();
    for (int32_t p = 0; p < bits; p++) dot = _mm256_add_epi32(dot, _mm256_slli_epi32(_mm256_add_epi32(a[p], widen(c[p])), p));
    __m256i r = _mm256_sub_epi32(_mm256_sub_epi32(_mm256_slli_epi32(dot, 2), border), other);
    _mm256_maskstore_epi32(out, store, r);
}

OB_TARGET_AVX2 static inline __attribute__((always_inline)) void conv_rows(const ob_conv_plan *P, const ob_conv_layer *L,
    int32_t *acc, int32_t out_rows, int32_t oy_start, int32_t oy_end, const int32_t bits)
{
    const int32_t k = P->k, s = P->stride, cout = P->cout, F = P->filter_words, taps_all = k * k;
    const uint32_t z = (uint32_t)L->zero_code;
    const uint32_t *strip_rows[OB_X86_MAX_K], *level_rows[OB_X86_MAX_K];
    const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    for (int32_t oy = oy_start; oy < oy_end; oy++)
    {
        int32_t ky0, ky1;
        ob_conv_plan_row(P, L, oy, strip_rows, level_rows, &ky0, &ky1);
        ob_conv_plan_other(P, L, level_rows, ky0, ky1);
        int32_t *out_row = acc + (int64_t)(oy % out_rows) * L->out_width * cout;
        for (int32_t b = 0; b < P->blocks; b++)
        {
            const uint32_t *wb = P->weights_t + (int64_t)b * F * 8;
            __m256i store = _mm256_cmpgt_epi32(_mm256_set1_epi32(cout - b * 8), lane);
            __m256i twice_z = _mm256_set1_epi32((int)(2u * z));
            __m256i full = z != 0 ? _mm256_mullo_epi32(_mm256_loadu_si256((const __m256i *)(P->full_ones + b * 8)), twice_z) : _mm256_setzero_si256();
            for (int32_t ox = 0; ox < L->out_width; ox++)
            {
                __m256i border = full;
                if (z != 0)
                {
                    int32_t kx0, kx1;
                    ob_conv_plan_columns(L, ox, &kx0, &kx1);
                    if ((ky1 - ky0) * (kx1 - kx0) != taps_all)
                    {
                        __m256i ones = _mm256_setzero_si256();
                        for (int32_t ky = ky0; ky < ky1; ky++)
                            for (int32_t kx = kx0; kx < kx1; kx++)
                                ones = _mm256_add_epi32(ones, _mm256_loadu_si256((const __m256i *)(P->tap_ones + ((int64_t)b * taps_all + ky * k + kx) * 8)));
                        border = _mm256_mullo_epi32(ones, twice_z);
                    }
                }
                pixel_block(P, strip_rows, ox * s, wb, out_row + (int64_t)ox * cout + b * 8, store, border,
                    _mm256_set1_epi32((int)P->other[ox]), bits);
            }
        }
    }
}

OB_TARGET_AVX2 int ob_x86_conv_avx2(const ob_conv_layer *L, const uint32_t *weights, const uint32_t *planes,
    int32_t in_rows, int32_t *acc, int32_t out_rows, int32_t oy_start, int32_t oy_end)
{
    if (oy_start == oy_end) return 1;
    ob_conv_plan P;
    if (!ob_conv_plan_make(&P, L, weights, planes, in_rows, 8, 0, ob_conv_plan_levels, oy_start, oy_end)) return 0;
    switch (L->bits)
    {
    case 1: conv_rows(&P, L, acc, out_rows, oy_start, oy_end, 1); break;
    case 2: conv_rows(&P, L, acc, out_rows, oy_start, oy_end, 2); break;
    case 4: conv_rows(&P, L, acc, out_rows, oy_start, oy_end, 4); break;
    default: conv_rows(&P, L, acc, out_rows, oy_start, oy_end, 8); break;
    }
    ob_conv_plan_free(&P);
    return 1;
}
