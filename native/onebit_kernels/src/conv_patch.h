/*
 * The conv of 1- and 2-plane activations for cores without a popcount instruction (the ESP32's Xtensa LX6): the
 * portable build's path (conv.c picks it when the layer fits; the host build with OB_HOST_POPCOUNT keeps the loop of
 * conv_rows). Same sums as conv_rows, in an order that suits a SWAR popcount:
 *  - per output pixel, the valid taps' plane words are gathered into a patch laid out as a filter (k·k·wpc words per
 *    plane), zero words for the padded taps, so that every output channel is one flat loop over its filter words
 *    (W ∧ 0 = 0: the padded taps add nothing, as in the contract's border rule);
 *  - per word, the two planes' 2-bit-field counts (Hacker's Delight, 2nd ed., §5-1, the first two steps) are combined
 *    as n0 + 2·n1 (at most 12 per 4-bit field), folded to bytes and then to two 16-bit lanes; the horizontal sum is
 *    taken once per output, not once per word and plane;
 *  - the weights' popcount Σ_valid popcount(W) is needed only for a zero code z ≠ 0 (its factor is z: the symmetric
 *    levels of shifted ReLU, which have no zero level). Where every tap is inside the input it is the whole filter's,
 *    a constant per output: counted once per call for the first OB_PATCH_CACHED_OUTPUTS outputs, and per pixel only
 *    at the border (and beyond those outputs).
 * scripts/xtensa-estimate.sh prices this loop (native/onebit_kernels/xtensa/README.md: why, and what it saves).
 */
#ifndef OB_CONV_PATCH_H
#define OB_CONV_PATCH_H

#include "ob_internal.h"

/* Words per plane of the gathered patch (k·k·wpc): 3×3 taps up to Cin = 224, 1×1 up to Cin = 2048. The 16-bit lanes
 * then hold at most 2·24·64 = 3072 per output, far from overflow. */
#define OB_PATCH_WORDS 64

/* Outputs whose whole-filter popcount a call keeps (on the stack, 2 bytes each: at most 64·32 = 2048 ones). */
#define OB_PATCH_CACHED_OUTPUTS 64

static int conv_patch_fits(const ob_conv_layer *L)
{
    return (L->bits == 1 || L->bits == 2) && (int64_t)L->kernel * L->kernel * ob_wpc(L->in_channels) <= OB_PATCH_WORDS;
}

/* 2-bit fields holding the ones of each pair of bits, then 4-bit fields (0..4). */
OB_INLINE uint32_t ob_nibble_counts(uint32_t x)
{
    x = x - ((x >> 1) & 0x55555555u);
    return (x & 0x33333333u) + ((x >> 2) & 0x33333333u);
}

/* Adds 4-bit fields of at most 15 into two 16-bit lanes (bytes of up to 30: both nibbles masked before the sum). */
OB_INLINE uint32_t ob_lanes(uint32_t nibbles)
{
    uint32_t bytes = (nibbles & 0x0F0F0F0Fu) + ((nibbles >> 4) & 0x0F0F0F0Fu);
    return (bytes & 0x00FF00FFu) + ((bytes >> 8) & 0x00FF00FFu);
}

OB_INLINE uint32_t ob_lanes_sum(uint32_t lanes)
{
    return (lanes & 0xFFFFu) + (lanes >> 16);
}

/* Σ_i popcount(f[i] ∧ p0[i]) + 2·popcount(f[i] ∧ p1[i]) (two planes) or Σ_i popcount(f[i] ∧ p0[i]) (one). */
OB_INLINE uint32_t patch_dot(const uint32_t *f, const uint32_t *p0, const uint32_t *p1, int32_t n, const int two)
{
    uint32_t lanes = 0;
    for (int32_t i = 0; i < n; i++)
    {
        uint32_t w = f[i];
        uint32_t nib = ob_nibble_counts(w & p0[i]);
        if (two) nib += ob_nibble_counts(w & p1[i]) << 1;
        lanes += ob_lanes(nib);
    }
    return ob_lanes_sum(lanes);
}

/* Every output channel of one pixel. `symmetric` (a constant per copy, z != 0) adds the weights' ones: the cached
 * whole-filter counts of the first `cached` outputs (a pixel whose taps are all valid), else counted here. */
OB_INLINE void patch_outputs(int32_t *out, const uint32_t *weights, int32_t cout, int32_t n, const uint32_t *p0,
    const uint32_t *p1, const uint32_t *valid, uint32_t z, uint32_t other, const uint16_t *filter_ones, int32_t cached,
    const int two, const int symmetric)
{
    const uint32_t *filter = weights;
    for (int32_t o = 0; o < cout; o++, filter += n)
    {
        uint32_t dot = patch_dot(filter, p0, p1, n, two), weight_ones = 0;
        if (symmetric)
        {
            if (o < cached)
                weight_ones = filter_ones[o];
            else
                for (int32_t i = 0; i < n; i++) weight_ones += ob_popcount32_swar(filter[i] & valid[i]);
        }
        out[o] = ob_i32(4u * dot - 2u * z * weight_ones - other);
    }
}

/* GCC would turn the gather's one-word copies and clears into memcpy/memset calls (loop distribution). */
#if defined(__GNUC__) && !defined(__clang__)
__attribute__((optimize("no-tree-loop-distribute-patterns")))
#endif
static void conv_rows_patch(const ob_conv_layer *L, const uint32_t *weights, const uint32_t *planes, int32_t in_rows,
    int32_t *acc, int32_t out_rows, int32_t oy_start, int32_t oy_end)
{
    const int32_t k = L->kernel, wpc = ob_wpc(L->in_channels), bits = L->bits, cout = L->out_channels;
    const int32_t pixel_words = bits * wpc, row_words = L->in_width * pixel_words, n = k * k * wpc;
    const uint32_t z = (uint32_t)L->zero_code, cin = (uint32_t)L->in_channels;
    uint32_t p0[OB_PATCH_WORDS], p1[OB_PATCH_WORDS], valid[OB_PATCH_WORDS];
    uint16_t filter_ones[OB_PATCH_CACHED_OUTPUTS];
    const int32_t cached = z == 0 ? 0 : cout < OB_PATCH_CACHED_OUTPUTS ? cout : OB_PATCH_CACHED_OUTPUTS;
    for (int32_t o = 0; o < cached; o++)
    {
        uint32_t ones = 0;
        for (int32_t i = 0; i < n; i++) ones += ob_popcount32_swar(weights[(int64_t)o * n + i]);
        filter_ones[o] = (uint16_t)ones;
    }

    for (int32_t oy = oy_start; oy < oy_end; oy++)
    {
        int32_t iy0 = oy * L->stride - L->pad_top;
        int32_t *out_row = acc + (int64_t)(oy % out_rows) * L->out_width * cout;
        for (int32_t ox = 0; ox < L->out_width; ox++)
        {
            int32_t ix0 = ox * L->stride - L->pad_left;
            int32_t taps = 0;
            uint32_t data = 0;
            for (int32_t ky = 0; ky < k; ky++)
            {
                int32_t iy = iy0 + ky;
                const uint32_t *row = iy >= 0 && iy < L->in_height ? planes + (int64_t)(iy % in_rows) * row_words : 0;
                for (int32_t kx = 0; kx < k; kx++)
                {
                    int32_t ix = ix0 + kx, at = (ky * k + kx) * wpc;
                    if (row != 0 && ix >= 0 && ix < L->in_width)
                    {
                        const uint32_t *pixel = row + (int64_t)ix * pixel_words;
                        for (int32_t w = 0; w < wpc; w++)
                        {
                            p0[at + w] = pixel[w];
                            p1[at + w] = bits == 2 ? pixel[wpc + w] : 0u;
                            valid[at + w] = 0xFFFFFFFFu;
                            data += ob_popcount32_swar(p0[at + w]) + (ob_popcount32_swar(p1[at + w]) << 1);
                        }
                        taps++;
                    }
                    else
                        for (int32_t w = 0; w < wpc; w++) p0[at + w] = p1[at + w] = valid[at + w] = 0u;
                }
            }
            const uint32_t other = 2u * data - z * (uint32_t)taps * cin;
            int32_t *out = out_row + (int64_t)ox * cout;
            if (z == 0)
            {
                if (bits == 2) patch_outputs(out, weights, cout, n, p0, p1, valid, z, other, filter_ones, 0, 1, 0);
                else patch_outputs(out, weights, cout, n, p0, p1, valid, z, other, filter_ones, 0, 0, 0);
            }
            else
            {
                const int32_t interior_cached = taps == k * k ? cached : 0;
                if (bits == 2) patch_outputs(out, weights, cout, n, p0, p1, valid, z, other, filter_ones, interior_cached, 1, 1);
                else patch_outputs(out, weights, cout, n, p0, p1, valid, z, other, filter_ones, interior_cached, 0, 1);
            }
        }
    }
}

#endif
