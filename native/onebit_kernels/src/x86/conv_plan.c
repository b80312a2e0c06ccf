#include <immintrin.h>
#include <stdlib.h>
#include <string.h>
#include "conv_plan.h"

/* Both vector paths require POPCNT (dispatch.c). */
#define OB_TARGET_POPCNT __attribute__((target("popcnt")))

OB_TARGET_POPCNT static inline int32_t popcount32(uint32_t x)
{
    return __builtin_popcount(x);
}

int ob_conv_plan_pairs(const ob_conv_layer *L, const uint32_t *weights)
{
    if (L->in_channels > 16 || L->bits < 2) return 0;
    int64_t n = (int64_t)L->out_channels * L->kernel * L->kernel;
    for (int64_t i = 0; i < n; i++)
        if (weights[i] >> 16 != 0) return 0;
    return 1;
}

OB_TARGET_POPCNT void ob_conv_plan_levels(const uint32_t *src, int32_t pixels, int32_t bits, int32_t wpc, uint32_t *out)
{
    for (int32_t ix = 0; ix < pixels; ix++)
    {
        uint32_t sum = 0;
        const uint32_t *pixel = src + (int64_t)ix * bits * wpc;
        for (int32_t p = 0; p < bits; p++)
            for (int32_t w = 0; w < wpc; w++) sum += (uint32_t)popcount32(pixel[p * wpc + w]) << p;
        out[ix] = sum;
    }
}

OB_TARGET_POPCNT int ob_conv_plan_make(ob_conv_plan *P, const ob_conv_layer *L, const uint32_t *weights, const uint32_t *planes,
    int32_t in_rows, int32_t lanes, int32_t paired, ob_conv_levels levels, int32_t oy_start, int32_t oy_end)
{
    const int32_t k = L->kernel, s = L->stride, wpc = ob_wpc(L->in_channels), bits = L->bits, cout = L->out_channels;
    const int32_t taps = k * k, F = taps * wpc, blocks = (cout + lanes - 1) / lanes;
    const int32_t first = oy_start * s - L->pad_top, last = (oy_end - 1) * s - L->pad_top + k;
    P->k = k; P->stride = s; P->wpc = wpc; P->bits = bits; P->cout = cout; P->lanes = lanes; P->blocks = blocks;
    P->filter_words = F;
    P->paired = paired;
    P->strip_planes = paired ? bits / 2 : bits;
    P->first_row = first < 0 ? 0 : first;
    P->rows = (last > L->in_height ? L->in_height : last) - P->first_row;
    if (P->rows < 0) P->rows = 0;
    int32_t right = (L->out_width - 1) * s - L->pad_left + k - L->in_width;
    P->strip_pixels = L->pad_left + L->in_width + (right > 0 ? right : 0);
    P->strip_words = P->strip_pixels * wpc;

    size_t n_weights = (size_t)blocks * (size_t)F * (size_t)lanes;
    size_t n_ones = L->zero_code != 0 ? (size_t)blocks * (size_t)(taps + 1) * (size_t)lanes : 0;
    size_t n_strips = (size_t)P->rows * (size_t)P->strip_planes * (size_t)P->strip_words;
    size_t n_levels = (size_t)P->rows * (size_t)P->strip_pixels;
    size_t n_zeros = (size_t)P->strip_planes * (size_t)P->strip_words;
    if (n_zeros < (size_t)P->strip_pixels) n_zeros = (size_t)P->strip_pixels;
    size_t total = n_weights + n_ones + n_strips + n_levels + n_zeros + (size_t)L->out_width + 16;
    uint32_t *m = (uint32_t *)malloc(total * sizeof(uint32_t));
    if (m == 0) return 0;
    P->memory = m;
    P->weights_t = m; m += n_weights;
    P->tap_ones = m; m += n_ones - (n_ones ? (size_t)blocks * (size_t)lanes : 0);
    P->full_ones = m; m += n_ones ? (size_t)blocks * (size_t)lanes : 0;
    P->strips = m; m += n_strips;
    P->levels = m; m += n_levels;
    P->zeros = m; m += n_zeros;
    P->other = m;
    memset(P->zeros, 0, n_zeros * sizeof(uint32_t));

    for (int32_t b = 0; b < blocks; b++)
        for (int32_t l = 0; l < lanes; l++)
        {
            int32_t o = b * lanes + l;
            const uint32_t *filter = weights + (int64_t)o * F;
            uint32_t *dst = P->weights_t + (size_t)b * (size_t)F * (size_t)lanes + (size_t)l;
            for (int32_t j = 0; j < F; j++) dst[(size_t)j * (size_t)lanes] = o >= cout ? 0u : paired ? filter[j] * 0x10001u : filter[j];
            if (n_ones)
            {
                uint32_t full = 0;
                for (int32_t t = 0; t < taps; t++)
                {
                    uint32_t ones = 0;
                    if (o < cout)
                        for (int32_t w = 0; w < wpc; w++) ones += (uint32_t)popcount32(filter[t * wpc + w]);
                    P->tap_ones[((size_t)b * (size_t)taps + (size_t)t) * (size_t)lanes + (size_t)l] = ones;
                    full += ones;
                }
                P->full_ones[(size_t)b * (size_t)lanes + (size_t)l] = full;
            }
        }

    const int32_t pixel_words = bits * wpc, row_words = L->in_width * pixel_words, pad = L->pad_left * wpc;
    for (int32_t r = 0; r < P->rows; r++)
    {
        const uint32_t *src = planes + (int64_t)((P->first_row + r) % in_rows) * row_words;
        uint32_t *strip = P->strips + (size_t)r * (size_t)P->strip_planes * (size_t)P->strip_words;
        uint32_t *level = P->levels + (size_t)r * (size_t)P->strip_pixels;
        for (int32_t q = 0; q < P->strip_planes; q++)
        {
            uint32_t *plane = strip + (size_t)q * (size_t)P->strip_words;
            memset(plane, 0, (size_t)pad * sizeof(uint32_t));
            if (paired)
                for (int32_t ix = 0; ix < L->in_width; ix++)
                {
                    const uint32_t *pixel = src + (int64_t)ix * pixel_words;
                    plane[pad + ix] = (pixel[2 * q] & 0xFFFFu) | pixel[2 * q + 1] << 16;
                }
            else if (wpc == 1)
                for (int32_t ix = 0; ix < L->in_width; ix++) plane[pad + ix] = src[(int64_t)ix * pixel_words + q];
            else
                for (int32_t ix = 0; ix < L->in_width; ix++)
                    for (int32_t w = 0; w < wpc; w++) plane[pad + ix * wpc + w] = src[(int64_t)ix * pixel_words + q * wpc + w];
            memset(plane + pad + L->in_width * wpc, 0, (size_t)(P->strip_words - pad - L->in_width * wpc) * sizeof(uint32_t));
        }
        memset(level, 0, (size_t)P->strip_pixels * sizeof(uint32_t));
        levels(src, L->in_width, bits, wpc, level + L->pad_left);
    }
    return 1;
}

void ob_conv_plan_free(ob_conv_plan *P)
{
    free(P->memory);
}

void ob_conv_plan_row(const ob_conv_plan *P, const ob_conv_layer *L, int32_t oy, const uint32_t **strip_rows,
    const uint32_t **level_rows, int32_t *ky0, int32_t *ky1)
{
    int32_t iy0 = oy * L->stride - L->pad_top;
    *ky0 = iy0 < 0 ? -iy0 : 0;
    *ky1 = L->in_height - iy0 < L->kernel ? L->in_height - iy0 : L->kernel;
    for (int32_t ky = 0; ky < L->kernel; ky++)
    {
        int32_t r = iy0 + ky - P->first_row;
        int valid = ky >= *ky0 && ky < *ky1;
        strip_rows[ky] = valid ? P->strips + (size_t)r * (size_t)P->strip_planes * (size_t)P->strip_words : P->zeros;
        level_rows[ky] = valid ? P->levels + (size_t)r * (size_t)P->strip_pixels : P->zeros;
    }
}

/* The vector paths both have AVX2 (dispatch.c). */
__attribute__((target("avx2"))) void ob_conv_plan_other(const ob_conv_plan *P, const ob_conv_layer *L, const uint32_t *const *level_rows,
    int32_t ky0, int32_t ky1)
{
    const int32_t k = P->k, s = P->stride, out_w = L->out_width;
    const uint32_t z = (uint32_t)L->zero_code, cin = (uint32_t)L->in_channels, rows = (uint32_t)(ky1 - ky0);
    uint32_t *other = P->other;
    /* Σ over the k×k taps of Σ_p 2^p·popcount(A_p), zero at padded taps, eight output pixels at a time; then
     * 2·data − z·taps·Cin, the taps of a pixel being the valid rows times its valid columns. */
    int32_t ox = 0;
    if (s == 1)
        for (; ox + 8 <= out_w; ox += 8)
        {
            __m256i sum = _mm256_setzero_si256();
            for (int32_t ky = 0; ky < k; ky++)
                for (int32_t kx = 0; kx < k; kx++)
                    sum = _mm256_add_epi32(sum, _mm256_loadu_si256((const __m256i *)(level_rows[ky] + ox + kx)));
            _mm256_storeu_si256((__m256i *)(other + ox), sum);
        }
    for (; ox < out_w; ox++)
    {
        uint32_t sum = 0;
        for (int32_t ky = 0; ky < k; ky++)
            for (int32_t kx = 0; kx < k; kx++) sum += level_rows[ky][ox * s + kx];
        other[ox] = sum;
    }
    for (ox = 0; ox < out_w; ox++)
    {
        int32_t kx0, kx1;
        ob_conv_plan_columns(L, ox, &kx0, &kx1);
        other[ox] = 2u * other[ox] - z * rows * (uint32_t)(kx1 - kx0) * cin;
    }
}
