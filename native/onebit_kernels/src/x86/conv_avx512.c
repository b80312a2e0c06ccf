/*
 * Binary conv with AVX-512: sixteen output channels per vector, one broadcast activation word ANDed with the same
 * filter word of all sixteen (conv_plan.h), VPOPCNTD, one accumulator per plane, or for layers of up to 16 channels
 * VPOPCNTW (BITALG) over paired planes, one accumulator per pair, weighted 2^p and 2^(p+1) by VPMADDWD at the end
 * (the 16-bit counts stay below 49·16); the identity of conv.c,
 *   acc = 4·Σ_p 2^p·popcount(W ∧ A_p) − 2·z·Σ_valid popcount(W) − (2·data − z·taps·Cin),
 * in 32-bit lanes that wrap as conv.c's uint32 sums do.
 */
#include <immintrin.h>
#include "conv_plan.h"

/* npix (1 or 2) neighbouring output pixels, sixteen output channels: the second pixel shares every weight load.
 * planes: strip planes (bits, or bits / 2 when paired); k and span (k·wpc) are constants in the common copies below,
 * so that the compiler unrolls the taps. */
OB_TARGET_AVX512 static inline __attribute__((always_inline)) void pixel_block(const ob_conv_plan *P,
    const uint32_t *const *strip_rows, int32_t ox, const uint32_t *wb, int32_t *out, __mmask16 store, const __m512i *border,
    const int32_t npix, const int32_t planes, const int32_t k, const int32_t span, const int paired)
{
    const int32_t sw = P->strip_words, step = P->stride * P->wpc;
    __m512i a[2][8];
    for (int32_t i = 0; i < npix; i++)
        for (int32_t q = 0; q < planes; q++) a[i][q] = _mm512_setzero_si512();
    for (int32_t ky = 0; ky < k; ky++)
    {
        const uint32_t *row = strip_rows[ky] + (int64_t)ox * step;
        const uint32_t *w = wb + (int64_t)ky * span * 16;
        for (int32_t j = 0; j < span; j++)
        {
            __m512i wv = _mm512_loadu_si512((const void *)(w + j * 16));
            for (int32_t i = 0; i < npix; i++)
                for (int32_t q = 0; q < planes; q++)
                {
                    __m512i x = _mm512_and_si512(wv, _mm512_set1_epi32((int)row[i * step + q * sw + j]));
                    a[i][q] = paired ? _mm512_add_epi16(a[i][q], _mm512_popcnt_epi16(x)) : _mm512_add_epi32(a[i][q], _mm512_popcnt_epi32(x));
                }
        }
    }
    for (int32_t i = 0; i < npix; i++)
    {
        __m512i dot = _mm512_setzero_si512();
        for (int32_t q = 0; q < planes; q++)
            dot = _mm512_add_epi32(dot, paired ? _mm512_madd_epi16(a[i][q], _mm512_set1_epi32((int)((1u << (2 * q)) | (1u << (2 * q + 1)) << 16)))
                                                : _mm512_slli_epi32(a[i][q], (unsigned)q));
        __m512i r = _mm512_sub_epi32(_mm512_sub_epi32(_mm512_slli_epi32(dot, 2), border[i]), _mm512_set1_epi32((int)P->other[ox + i]));
        _mm512_mask_storeu_epi32(out + (int64_t)i * P->cout, store, r);
    }
}

OB_TARGET_AVX512 static inline __attribute__((always_inline)) void conv_rows(const ob_conv_plan *P, const ob_conv_layer *L,
    int32_t *acc, int32_t out_rows, int32_t oy_start, int32_t oy_end, const int32_t planes, const int32_t kc, const int32_t span,
    const int paired)
{
    const int32_t k = kc, cout = P->cout, F = P->filter_words, taps_all = k * k;
    const uint32_t z = (uint32_t)L->zero_code;
    const uint32_t *strip_rows[OB_X86_MAX_K], *level_rows[OB_X86_MAX_K];
    for (int32_t oy = oy_start; oy < oy_end; oy++)
    {
        int32_t ky0, ky1;
        ob_conv_plan_row(P, L, oy, strip_rows, level_rows, &ky0, &ky1);
        ob_conv_plan_other(P, L, level_rows, ky0, ky1);
        int32_t *out_row = acc + (int64_t)(oy % out_rows) * L->out_width * cout;
        for (int32_t b = 0; b < P->blocks; b++)
        {
            const uint32_t *wb = P->weights_t + (int64_t)b * F * 16;
            int32_t left = cout - b * 16;
            __mmask16 store = (__mmask16)(left >= 16 ? 0xFFFFu : (1u << left) - 1u);
            const __m512i twice_z = _mm512_set1_epi32((int)(2u * z));
            __m512i full = z != 0 ? _mm512_mullo_epi32(_mm512_loadu_si512((const void *)(P->full_ones + b * 16)), twice_z)
                                  : _mm512_setzero_si512();
            for (int32_t ox = 0; ox < L->out_width; ox += 2)
            {
                const int32_t npix = L->out_width - ox >= 2 ? 2 : 1;
                __m512i border[2] = { full, full };
                for (int32_t i = 0; z != 0 && i < npix; i++)
                {
                    int32_t kx0, kx1;
                    ob_conv_plan_columns(L, ox + i, &kx0, &kx1);
                    if ((ky1 - ky0) * (kx1 - kx0) == taps_all) continue;
                    __m512i ones = _mm512_setzero_si512();
                    for (int32_t ky = ky0; ky < ky1; ky++)
                        for (int32_t kx = kx0; kx < kx1; kx++)
                            ones = _mm512_add_epi32(ones, _mm512_loadu_si512((const void *)(P->tap_ones + ((int64_t)b * taps_all + ky * k + kx) * 16)));
                    border[i] = _mm512_mullo_epi32(ones, twice_z);
                }
                int32_t *out = out_row + (int64_t)ox * cout + b * 16;
                if (npix == 2) pixel_block(P, strip_rows, ox, wb, out, store, border, 2, planes, k, span, paired);
                else pixel_block(P, strip_rows, ox, wb, out, store, border, 1, planes, k, span, paired);
            }
        }
    }
}

/* ob_conv_levels with VPOPCNTD for the two-plane pixels of one word per plane (2-bit layers of up to 32 channels):
 * eight pixels' sixteen words at a time, the second plane's counts doubled, each pixel's two counts added. */
OB_TARGET_AVX512 static void levels(const uint32_t *src, int32_t pixels, int32_t bits, int32_t wpc, uint32_t *out)
{
    int32_t ix = 0;
    if (bits == 2 && wpc == 1)
    {
        const __m512i doubled = _mm512_set_epi32(1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0);
        for (; ix + 8 <= pixels; ix += 8)
        {
            __m512i c = _mm512_sllv_epi32(_mm512_popcnt_epi32(_mm512_loadu_si512((const void *)(src + 2 * ix))), doubled);
            _mm256_storeu_si256((__m256i *)(out + ix), _mm512_cvtepi64_epi32(_mm512_add_epi64(c, _mm512_srli_epi64(c, 32))));
        }
    }
    ob_conv_plan_levels(src + (int64_t)ix * bits * wpc, pixels - ix, bits, wpc, out + ix);
}

OB_TARGET_AVX512 int ob_x86_conv_avx512(const ob_conv_layer *L, const uint32_t *weights, const uint32_t *planes,
    int32_t in_rows, int32_t *acc, int32_t out_rows, int32_t oy_start, int32_t oy_end)
{
    if (oy_start == oy_end) return 1;
    ob_conv_plan P;
    const int paired = ob_conv_plan_pairs(L, weights);
    if (!ob_conv_plan_make(&P, L, weights, planes, in_rows, 16, paired, levels, oy_start, oy_end)) return 0;
    const int32_t k = L->kernel, wpc = P.wpc;
    /* Copies with constant plane counts, and constant kernel rows for 3×3 layers of one or two words per channel
     * vector (every layer of the committed models but the head's 1×1). */
    if (paired)
        switch (L->bits)
        {
        case 2: if (k == 3) conv_rows(&P, L, acc, out_rows, oy_start, oy_end, 1, 3, 3, 1); else conv_rows(&P, L, acc, out_rows, oy_start, oy_end, 1, k, k, 1); break;
        case 4: conv_rows(&P, L, acc, out_rows, oy_start, oy_end, 2, k, k, 1); break;
        default: conv_rows(&P, L, acc, out_rows, oy_start, oy_end, 4, k, k, 1); break;
        }
    else if (k == 3 && wpc <= 2 && L->bits <= 2)
    {
        if (wpc == 1) { if (L->bits == 1) conv_rows(&P, L, acc, out_rows, oy_start, oy_end, 1, 3, 3, 0); else conv_rows(&P, L, acc, out_rows, oy_start, oy_end, 2, 3, 3, 0); }
        else { if (L->bits == 1) conv_rows(&P, L, acc, out_rows, oy_start, oy_end, 1, 3, 6, 0); else conv_rows(&P, L, acc, out_rows, oy_start, oy_end, 2, 3, 6, 0); }
    }
    else
        switch (L->bits)
        {
        case 1: conv_rows(&P, L, acc, out_rows, oy_start, oy_end, 1, k, k * wpc, 0); break;
        case 2: conv_rows(&P, L, acc, out_rows, oy_start, oy_end, 2, k, k * wpc, 0); break;
        case 4: conv_rows(&P, L, acc, out_rows, oy_start, oy_end, 4, k, k * wpc, 0); break;
        default: conv_rows(&P, L, acc, out_rows, oy_start, oy_end, 8, k, k * wpc, 0); break;
        }
    ob_conv_plan_free(&P);
    return 1;
}
