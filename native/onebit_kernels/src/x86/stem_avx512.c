/*
 * The stem with AVX-512, sixteen output channels per vector: per input channel c and valid tap, the weight bits of
 * the sixteen filters at (tap, c) are a mask (prepared once per call) under which the pixel value and 1 are added,
 * giving Σ_{w=+1} u and #{w=+1}; then P = 2·Σ_{w=+1} u − Σ u, Q = 2·#{w=+1} − taps and
 * S = RoundShift(Σ_c A_c·P + B_c·Q, shift) in 64-bit lanes that wrap as stem.c's sums do.
 */
#include <immintrin.h>
#include <stdlib.h>
#include "ob_x86.h"

/* Masks prepared per call at most (blocks × k² × Cin); larger stems are left to the portable code. */
#define OB_STEM_MAX_MASKS 65536

OB_TARGET_AVX512 int ob_x86_stem_avx512(const ob_stem_layer *L, const int32_t *pixel_scale, const int32_t *weight_sum_scale,
    const uint32_t *weights, const uint8_t *pixels, int32_t *stream, int32_t out_rows, int32_t oy_start, int32_t oy_end)
{
    const int32_t k = L->kernel, cin = L->in_channels, cout = L->out_channels, h = L->height, w = L->width;
    const int32_t taps_all = k * k, wpc = ob_wpc(cin), blocks = (cout + 15) / 16;
    if ((int64_t)blocks * taps_all * cin > OB_STEM_MAX_MASKS) return 0;
    __mmask16 *masks = (__mmask16 *)malloc((size_t)blocks * (size_t)taps_all * (size_t)cin * sizeof(__mmask16));
    if (masks == 0) return 0;
    for (int32_t b = 0; b < blocks; b++)
        for (int32_t t = 0; t < taps_all; t++)
            for (int32_t c = 0; c < cin; c++)
            {
                uint32_t m = 0;
                for (int32_t l = 0; l < 16 && b * 16 + l < cout; l++)
                    m |= ((weights[((int64_t)(b * 16 + l) * taps_all + t) * wpc + (c >> 5)] >> (c & 31)) & 1u) << l;
                masks[((int64_t)b * taps_all + t) * cin + c] = (__mmask16)m;
            }

    const int32_t n = L->shift;
    const __m128i count = _mm_cvtsi32_si128(n);
    const __m512i half = _mm512_set1_epi64(n == 0 ? 0 : (int64_t)1 << (n - 1)), one = _mm512_set1_epi32(1);
    int64_t tap_pixel[OB_X86_MAX_K * OB_X86_MAX_K];
    int32_t tap_index[OB_X86_MAX_K * OB_X86_MAX_K];
    for (int32_t oy = oy_start; oy < oy_end; oy++)
    {
        int32_t iy0 = oy - L->pad_top;
        int32_t ky0 = iy0 < 0 ? -iy0 : 0, ky1 = h - iy0 < k ? h - iy0 : k;
        int32_t *row = stream + (int64_t)(oy % out_rows) * w * cout;
        for (int32_t ox = 0; ox < w; ox++)
        {
            int32_t ix0 = ox - L->pad_left;
            int32_t kx0 = ix0 < 0 ? -ix0 : 0, kx1 = w - ix0 < k ? w - ix0 : k;
            int32_t taps = 0;
            for (int32_t ky = ky0; ky < ky1; ky++)
                for (int32_t kx = kx0; kx < kx1; kx++)
                {
                    tap_pixel[taps] = ((int64_t)(iy0 + ky) * w + ix0 + kx) * cin;
                    tap_index[taps] = ky * k + kx;
                    taps++;
                }
            const __m512i taps_v = _mm512_set1_epi32(taps);
            for (int32_t b = 0; b < blocks; b++)
            {
                const __mmask16 *bm = masks + (int64_t)b * taps_all * cin;
                __m512i total[2] = { _mm512_setzero_si512(), _mm512_setzero_si512() };
                for (int32_t c = 0; c < cin; c++)
                {
                    __m512i plus_u = _mm512_setzero_si512(), plus = _mm512_setzero_si512();
                    int32_t sum_u = 0;
                    for (int32_t t = 0; t < taps; t++)
                    {
                        int32_t u = pixels[tap_pixel[t] + c];
                        __mmask16 m = bm[(int64_t)tap_index[t] * cin + c];
                        sum_u += u;
                        plus_u = _mm512_mask_add_epi32(plus_u, m, plus_u, _mm512_set1_epi32(u));
                        plus = _mm512_mask_add_epi32(plus, m, plus, one);
                    }
                    __m512i p = _mm512_sub_epi32(_mm512_add_epi32(plus_u, plus_u), _mm512_set1_epi32(sum_u));
                    __m512i q = _mm512_sub_epi32(_mm512_add_epi32(plus, plus), taps_v);
                    __m512i a = _mm512_set1_epi64(pixel_scale[c]), bq = _mm512_set1_epi64(weight_sum_scale[c]);
                    for (int hh = 0; hh < 2; hh++)
                    {
                        __m512i p64 = _mm512_cvtepi32_epi64(hh ? _mm512_extracti64x4_epi64(p, 1) : _mm512_castsi512_si256(p));
                        __m512i q64 = _mm512_cvtepi32_epi64(hh ? _mm512_extracti64x4_epi64(q, 1) : _mm512_castsi512_si256(q));
                        total[hh] = _mm512_add_epi64(total[hh], _mm512_add_epi64(_mm512_mul_epi32(p64, a), _mm512_mul_epi32(q64, bq)));
                    }
                }
                __m256i lo = _mm512_cvtepi64_epi32(_mm512_sra_epi64(_mm512_add_epi64(total[0], half), count));
                __m256i hi = _mm512_cvtepi64_epi32(_mm512_sra_epi64(_mm512_add_epi64(total[1], half), count));
                int32_t left = cout - b * 16;
                __mmask16 store = left >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << left) - 1u);
                _mm512_mask_storeu_epi32(row + (int64_t)ox * cout + b * 16, store, _mm512_inserti64x4(_mm512_castsi256_si512(lo), hi, 1));
            }
        }
    }
    free(masks);
    return 1;
}
