/*
 * The stem with AVX-512 (VNNI), sixteen output channels per vector. The frame's rows that the call reads are first
 * copied into one zero-padded byte plane per input channel, and a plane of the valid positions (1 inside the image,
 * 0 in the padding). Along a kernel row, four taps are four consecutive bytes of a plane, so one VPDPBUSD of those
 * bytes (broadcast) against the sixteen filters' ±1 weights of the four taps (0 past the kernel's width) adds
 * Σ w·u of four taps; padded taps hold u = 0 and add nothing. That gives per input channel
 *   P = Σ_valid w·u (stem.c's 2·Σ_{w=+1} u − Σ u) and, on the plane of valid positions, Q = Σ_valid w,
 * and S = RoundShift(Σ_c A_c·P + B_c·Q, shift) in 64-bit lanes that wrap as stem.c's sums do. Pixels whose taps are
 * all valid take Σ_c B_c·Q_c of the whole kernel, computed once per call.
 */
#include <immintrin.h>
#include <stdlib.h>
#include <string.h>
#include "ob_x86.h"

/* Bytes of planes and weight tables one call may prepare; larger stems are left to the portable code. */
#define OB_STEM_MAX_BYTES (64 << 20)

OB_TARGET_AVX512 static inline __m512i bcast4(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return _mm512_set1_epi32((int)v);
}

OB_TARGET_AVX512 static inline __m512i join(__m256i lo, __m256i hi)
{
    return _mm512_inserti64x4(_mm512_castsi256_si512(lo), hi, 1);
}

OB_TARGET_AVX512 int ob_x86_stem_avx512(const ob_stem_layer *L, const int32_t *pixel_scale, const int32_t *weight_sum_scale,
    const uint32_t *weights, const uint8_t *pixels, int32_t *stream, int32_t out_rows, int32_t oy_start, int32_t oy_end)
{
    const int32_t k = L->kernel, cin = L->in_channels, cout = L->out_channels, h = L->height, w = L->width;
    const int32_t taps_all = k * k, wpc = ob_wpc(cin), blocks = (cout + 15) / 16, groups = (k + 3) / 4;
    const int32_t pw = w + 4 * groups, rows = oy_end - oy_start + k - 1;
    if (oy_start == oy_end) return 1;
    size_t plane = (size_t)rows * (size_t)pw, n_planes = (size_t)(cin + 1) * plane;
    size_t n_table = (size_t)blocks * (size_t)cin * (size_t)k * (size_t)groups * 64;
    size_t n_full = (size_t)blocks * 16 * sizeof(int64_t);
    if ((double)n_planes + (double)n_table + (double)n_full > (double)OB_STEM_MAX_BYTES) return 0;
    uint8_t *memory = (uint8_t *)malloc(n_full + n_table + n_planes);
    if (memory == 0) return 0;
    int64_t *full_q = (int64_t *)memory;
    int8_t *table = (int8_t *)(memory + n_full);
    uint8_t *planes = memory + n_full + n_table, *valid = planes + (size_t)cin * plane;

    /* Padded row r holds image row oy_start − pad_top + r. */
    memset(planes, 0, n_planes);
    for (int32_t r = 0; r < rows; r++)
    {
        int32_t iy = oy_start - L->pad_top + r;
        if (iy < 0 || iy >= h) continue;
        for (int32_t ix = 0; ix < w; ix++)
        {
            size_t at = (size_t)r * (size_t)pw + (size_t)(ix + L->pad_left);
            for (int32_t c = 0; c < cin; c++) planes[(size_t)c * plane + at] = pixels[((int64_t)iy * w + ix) * cin + c];
            valid[at] = 1;
        }
    }
    for (int32_t b = 0; b < blocks; b++)
        for (int32_t l = 0; l < 16; l++)
        {
            int32_t o = b * 16 + l;
            uint64_t q_sum = 0;
            for (int32_t c = 0; c < cin; c++)
            {
                int32_t q = 0;
                for (int32_t ky = 0; ky < k; ky++)
                    for (int32_t g = 0; g < groups; g++)
                        for (int32_t i = 0; i < 4; i++)
                        {
                            int32_t kx = 4 * g + i;
                            int8_t v = 0;
                            if (kx < k && o < cout)
                            {
                                v = ((weights[((int64_t)o * taps_all + ky * k + kx) * wpc + (c >> 5)] >> (c & 31)) & 1u) ? 1 : -1;
                                q += v;
                            }
                            table[((((size_t)b * (size_t)cin + (size_t)c) * (size_t)k + (size_t)ky) * (size_t)groups + (size_t)g) * 64 + (size_t)(4 * l + i)] = v;
                        }
                q_sum += (uint64_t)((int64_t)weight_sum_scale[c] * q);
            }
            full_q[b * 16 + l] = ob_i64(q_sum);
        }

    const int32_t n = L->shift;
    const __m128i count = _mm_cvtsi32_si128(n);
    const __m512i half = _mm512_set1_epi64(n == 0 ? 0 : (int64_t)1 << (n - 1));
    for (int32_t oy = oy_start; oy < oy_end; oy++)
    {
        int32_t iy0 = oy - L->pad_top, r0 = oy - oy_start;
        int full_rows = iy0 >= 0 && iy0 + k <= h;
        int32_t *row = stream + (int64_t)(oy % out_rows) * w * cout;
        for (int32_t ox = 0; ox < w; ox++)
        {
            int32_t ix0 = ox - L->pad_left;
            int interior = full_rows && ix0 >= 0 && ix0 + k <= w;
            for (int32_t b = 0; b < blocks; b++)
            {
                const int8_t *tb = table + (size_t)b * (size_t)cin * (size_t)k * (size_t)groups * 64;
                __m512i total[2];
                total[0] = interior ? _mm512_loadu_si512((const void *)(full_q + b * 16)) : _mm512_setzero_si512();
                total[1] = interior ? _mm512_loadu_si512((const void *)(full_q + b * 16 + 8)) : _mm512_setzero_si512();
                for (int32_t c = 0; c < cin; c++)
                {
                    __m512i p = _mm512_setzero_si512(), q = _mm512_setzero_si512();
                    const int8_t *tc = tb + (size_t)c * (size_t)k * (size_t)groups * 64;
                    for (int32_t ky = 0; ky < k; ky++)
                    {
                        size_t at = (size_t)(r0 + ky) * (size_t)pw + (size_t)ox;
                        for (int32_t g = 0; g < groups; g++)
                        {
                            __m512i wv = _mm512_loadu_si512((const void *)(tc + ((size_t)ky * (size_t)groups + (size_t)g) * 64));
                            p = _mm512_dpbusd_epi32(p, bcast4(planes + (size_t)c * plane + at + 4 * (size_t)g), wv);
                            if (!interior) q = _mm512_dpbusd_epi32(q, bcast4(valid + at + 4 * (size_t)g), wv);
                        }
                    }
                    __m512i a = _mm512_set1_epi64(pixel_scale[c]), bq = _mm512_set1_epi64(weight_sum_scale[c]);
                    for (int hh = 0; hh < 2; hh++)
                    {
                        __m512i p64 = _mm512_cvtepi32_epi64(hh ? _mm512_extracti64x4_epi64(p, 1) : _mm512_castsi512_si256(p));
                        total[hh] = _mm512_add_epi64(total[hh], _mm512_mul_epi32(p64, a));
                        if (!interior)
                        {
                            __m512i q64 = _mm512_cvtepi32_epi64(hh ? _mm512_extracti64x4_epi64(q, 1) : _mm512_castsi512_si256(q));
                            total[hh] = _mm512_add_epi64(total[hh], _mm512_mul_epi32(q64, bq));
                        }
                    }
                }
                __m256i lo = _mm512_cvtepi64_epi32(_mm512_sra_epi64(_mm512_add_epi64(total[0], half), count));
                __m256i hi = _mm512_cvtepi64_epi32(_mm512_sra_epi64(_mm512_add_epi64(total[1], half), count));
                int32_t left = cout - b * 16;
                __mmask16 store = (__mmask16)(left >= 16 ? 0xFFFFu : (1u << left) - 1u);
                _mm512_mask_storeu_epi32(row + (int64_t)ox * cout + b * 16, store, join(lo, hi));
            }
        }
    }
    free(memory);
    return 1;
}
