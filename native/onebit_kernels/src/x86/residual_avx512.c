/*
 * The residual with AVX-512, eight channels per vector in 64-bit lanes: S' = shortcut + RoundShift(acc·M, shift) as
 * residual.c computes it, truncated to the ring's 32 or 16 bits. The 3×3 stride-2 average pool divides by the valid
 * cells n with floor((2·sum + n) / (2n)) in double precision, which is exact here: |2·sum + n| < 2^36 is represented
 * exactly, and a quotient that is not an integer lies at least 1/18 from one while the division's rounding error
 * is below 2^36 · 2^-53, so the floor cannot move.
 */
#include <immintrin.h>
#include "ob_x86.h"

OB_TARGET_AVX512 static inline __m512i load8(const void *s, int wide, int64_t i, __mmask8 lanes)
{
    return wide ? _mm512_cvtepi32_epi64(_mm256_maskz_loadu_epi32(lanes, (const int32_t *)s + i))
                : _mm512_cvtepi16_epi64(_mm_maskz_loadu_epi16(lanes, (const int16_t *)s + i));
}

/* RoundShift(acc·M, shift) of sixteen int32 lanes, truncated to 32 bits: the 64-bit products of the even and of the odd
 * lanes (VPMULDQ), rounded and shifted in 64 bits, their low halves put back together. The stream's int32 or int16
 * result is (shortcut + that) truncated, so adding in 32-bit lanes gives the same bits. */
OB_TARGET_AVX512 static inline __m512i scaled16(__m512i a, __m512i m, __m512i half, __m128i count)
{
    __m512i even = _mm512_sra_epi64(_mm512_add_epi64(_mm512_mul_epi32(a, m), half), count);
    __m512i odd = _mm512_sra_epi64(_mm512_add_epi64(_mm512_mul_epi32(_mm512_srli_epi64(a, 32), _mm512_srli_epi64(m, 32)), half), count);
    return _mm512_mask_blend_epi32((__mmask16)0xAAAA, even, _mm512_slli_epi64(odd, 32));
}

/* The identity shortcut: sixteen channels at a time, each chunk's multipliers loaded once per row. */
OB_TARGET_AVX512 static void identity_rows(const ob_residual_layer *L, const int32_t *M, int per_channel, int wide,
    const void *in, int32_t in_rows, const int32_t *acc, int32_t acc_rows, void *out, int32_t out_rows,
    int32_t oy_start, int32_t oy_end)
{
    const int32_t cin = L->in_channels, cout = L->out_channels, w = L->out_width, copy = cin < cout ? cin : cout;
    const int32_t n = L->shift;
    const __m128i count = _mm_cvtsi32_si128(n);
    const __m512i half = _mm512_set1_epi64(n == 0 ? 0 : (int64_t)1 << (n - 1));
    for (int32_t oy = oy_start; oy < oy_end; oy++)
    {
        const int32_t *acc_row = acc + (int64_t)(oy % acc_rows) * w * cout;
        int64_t in_base = (int64_t)(oy % in_rows) * w * cin, out_base = (int64_t)(oy % out_rows) * w * cout;
        for (int32_t c = 0; c < cout; c += 16)
        {
            __mmask16 lanes = (__mmask16)(cout - c >= 16 ? 0xFFFFu : (1u << (cout - c)) - 1u);
            __mmask16 copied = (__mmask16)(copy - c >= 16 ? 0xFFFFu : copy - c <= 0 ? 0u : (1u << (copy - c)) - 1u);
            __m512i m = per_channel ? _mm512_maskz_loadu_epi32(lanes, M + c) : _mm512_set1_epi32(M[0]);
            for (int32_t ox = 0; ox < w; ox++)
            {
                int64_t i = (int64_t)ox * cout + c, j = in_base + (int64_t)ox * cin + c;
                __m512i r = scaled16(_mm512_maskz_loadu_epi32(lanes, acc_row + i), m, half, count);
                if (wide)
                    _mm512_mask_storeu_epi32((int32_t *)out + out_base + i, lanes,
                        _mm512_add_epi32(_mm512_maskz_loadu_epi32(copied, (const int32_t *)in + j), r));
                else
                    _mm256_mask_storeu_epi16((int16_t *)out + out_base + i, lanes, _mm512_cvtepi32_epi16(
                        _mm512_add_epi32(_mm512_cvtepi16_epi32(_mm256_maskz_loadu_epi16(copied, (const int16_t *)in + j)), r)));
            }
        }
    }
}

OB_TARGET_AVX512 int ob_x86_residual_avx512(const ob_residual_layer *L, const int32_t *M, int per_channel, int wide,
    const void *in, int32_t in_rows, const int32_t *acc, int32_t acc_rows, void *out, int32_t out_rows,
    int32_t oy_start, int32_t oy_end)
{
    const int32_t cin = L->in_channels, cout = L->out_channels, in_w = L->in_width, out_w = L->out_width;
    const int32_t copy = cin < cout ? cin : cout;
    /* In place only where each vector reads the elements it then writes (residual.c reads row oy before writing it). */
    if (in == out && (L->shortcut != 0 || cin != cout || in_rows != out_rows)) return 0;
    if (L->shortcut == 0)
    {
        identity_rows(L, M, per_channel, wide, in, in_rows, acc, acc_rows, out, out_rows, oy_start, oy_end);
        return 1;
    }
    const int32_t n = L->shift;
    const __m128i count = _mm_cvtsi32_si128(n);
    const __m512i half = _mm512_set1_epi64(n == 0 ? 0 : (int64_t)1 << (n - 1));
    for (int32_t oy = oy_start; oy < oy_end; oy++)
    {
        const int32_t *acc_row = acc + (int64_t)(oy % acc_rows) * out_w * cout;
        int64_t out_base = (int64_t)(oy % out_rows) * out_w * cout;
        int32_t iy0 = oy * 2 - L->pad_top;
        int32_t ky0 = iy0 < 0 ? -iy0 : 0, ky1 = L->in_height - iy0 < 3 ? L->in_height - iy0 : 3;
        for (int32_t ox = 0; ox < out_w; ox++)
        {
            int32_t ix0 = ox * 2 - L->pad_left;
            int32_t kx0 = ix0 < 0 ? -ix0 : 0, kx1 = in_w - ix0 < 3 ? in_w - ix0 : 3;
            const __m512d den = _mm512_set1_pd(2.0 * (double)((ky1 - ky0) * (kx1 - kx0)));
            const __m512i cells = _mm512_set1_epi64((int64_t)(ky1 - ky0) * (kx1 - kx0));
            for (int32_t c = 0; c < cout; c += 8)
            {
                __mmask8 lanes = (__mmask8)(cout - c >= 8 ? 0xFF : (1u << (cout - c)) - 1u);
                __mmask8 copied = (__mmask8)(copy - c >= 8 ? 0xFF : copy - c <= 0 ? 0 : (1u << (copy - c)) - 1u);
                __m512i v = _mm512_setzero_si512();
                if (copied)
                {
                    if (L->shortcut == 0) v = load8(in, wide, ((int64_t)(oy % in_rows) * in_w + ox) * cin + c, copied);
                    else
                    {
                        __m512i sum = _mm512_setzero_si512();
                        for (int32_t ky = ky0; ky < ky1; ky++)
                        {
                            int64_t row = (int64_t)((iy0 + ky) % in_rows) * in_w;
                            for (int32_t kx = kx0; kx < kx1; kx++) sum = _mm512_add_epi64(sum, load8(in, wide, (row + ix0 + kx) * cin + c, copied));
                        }
                        __m512d q = _mm512_div_pd(_mm512_cvtepi64_pd(_mm512_add_epi64(_mm512_add_epi64(sum, sum), cells)), den);
                        v = _mm512_cvttpd_epi64(_mm512_roundscale_pd(q, _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC));
                    }
                }
                int64_t i = (int64_t)ox * cout + c;
                __m512i a = _mm512_cvtepi32_epi64(_mm256_maskz_loadu_epi32(lanes, acc_row + i));
                __m512i m = per_channel ? _mm512_cvtepi32_epi64(_mm256_maskz_loadu_epi32(lanes, M + c)) : _mm512_set1_epi64(M[0]);
                __m512i r = _mm512_sra_epi64(_mm512_add_epi64(_mm512_mul_epi32(a, m), half), count);
                __m512i s = _mm512_add_epi64(v, r);
                if (wide) _mm512_mask_cvtepi64_storeu_epi32((int32_t *)out + out_base + i, lanes, s);
                else _mm512_mask_cvtepi64_storeu_epi16((int16_t *)out + out_base + i, lanes, s);
            }
        }
    }
    return 1;
}
