/*
 * Binary conv, CONTRACT.md §4, by the popcount identity of §1 over every valid tap:
 *   acc = 2·Σ_valid Σ_p 2^p·(2·popcount(W ∧ A_p) − popcount(A_p))  −  z·Σ_valid (2·popcount(W) − Cin)
 * Invalid (padded) taps contribute nothing, which is the border correction. The sums run in uint32: C# int arithmetic
 * wraps, and so does any order of the same additions modulo 2^32, so the result equals the reference's loop even for
 * layers whose bound the reader would reject.
 */
#include "ob_internal.h"
#ifdef OB_X86_PATHS
#include "x86/ob_x86.h"
#endif

/* Taps per output pixel this kernel keeps on the stack (k ≤ 7; the contract uses 1 and 3). */
#define OB_MAX_K 7

#if defined(OB_HOST_POPCOUNT) && defined(__GNUC__) && defined(__x86_64__)
/* Host build: two clones of the loop, chosen by the loader from the CPU's features (GCC function multiversioning). */
#define OB_POPCOUNT(x) ((uint32_t)__builtin_popcount(x))
#define OB_DISPATCHED __attribute__((target_clones("popcnt", "default")))
#define OB_POPCOUNT_KIND "builtin-dispatch"
#else
#define OB_POPCOUNT(x) ob_popcount32_swar(x)
#define OB_DISPATCHED
#define OB_POPCOUNT_KIND "swar"
/* Without a popcount instruction, 1- and 2-plane layers take the gathered-patch loop (conv_patch.h). */
#define OB_PATCH_PATH 1
#include "conv_patch.h"
#endif

const char *ob_popcount_kind(void)
{
    return OB_POPCOUNT_KIND;
}

static int32_t check(const ob_conv_layer *L, int32_t weights_len, int32_t planes_len, int32_t in_rows,
    int32_t acc_len, int32_t out_rows, int32_t oy_start, int32_t oy_end)
{
    int32_t k = L->kernel, s = L->stride;
    if (k < 1 || k > OB_MAX_K || (s != 1 && s != 2)) return OB_E_LAYER;
    if (L->pad_top < 0 || L->pad_top >= k || L->pad_left < 0 || L->pad_left >= k) return OB_E_LAYER;
    if (L->bits != 1 && L->bits != 2 && L->bits != 4 && L->bits != 8) return OB_E_LAYER;
    if (L->zero_code < 0 || L->zero_code > 0xFFFF) return OB_E_LAYER;
    if (!ob_dim_ok(L->in_channels) || !ob_dim_ok(L->out_channels) || !ob_dim_ok(L->in_height) || !ob_dim_ok(L->in_width))
        return OB_E_LAYER;
    if (L->out_height != (L->in_height + s - 1) / s || L->out_width != (L->in_width + s - 1) / s) return OB_E_LAYER;
    if (!ob_range_ok(oy_start, oy_end, L->out_height) || in_rows < 1 || out_rows < 1) return OB_E_ROWS;
    int64_t wpc = ob_wpc(L->in_channels);
    if ((int64_t)L->out_channels * k * k * wpc > weights_len) return OB_E_SHORT;
    if (!ob_ring_fits(in_rows, (int64_t)L->in_width * L->bits * wpc, planes_len)) return OB_E_SHORT;
    if (!ob_ring_fits(out_rows, (int64_t)L->out_width * L->out_channels, acc_len)) return OB_E_SHORT;
    return OB_OK;
}

/* Inlined into both clones of conv_rows, so its popcounts are the clone's. */
#if defined(__GNUC__)
#define OB_ALWAYS_INLINE static inline __attribute__((always_inline))
#else
#define OB_ALWAYS_INLINE static inline
#endif

/* Every output channel of one pixel: acc = 4·Σ 2^p·popcount(W ∧ A_p) − 2·z·popcount(W) − (2·data − z·taps·Cin). */
OB_ALWAYS_INLINE void pixel_outputs(int32_t *out, const uint32_t *weights, int32_t cout, int32_t filter_words,
    const uint32_t *const *tap_pixels, const int32_t *tap_offsets, int32_t taps, int32_t wpc, const int32_t bits,
    uint32_t z, uint32_t other)
{
    for (int32_t o = 0; o < cout; o++)
    {
        const uint32_t *filter = weights + (int64_t)o * filter_words;
        uint32_t dot = 0, weight_ones = 0;
        for (int32_t t = 0; t < taps; t++)
        {
            const uint32_t *wt = filter + tap_offsets[t], *a = tap_pixels[t];
            for (int32_t w = 0; w < wpc; w++)
            {
                uint32_t W = wt[w];
                weight_ones += OB_POPCOUNT(W);
                for (int32_t p = 0; p < bits; p++) dot += OB_POPCOUNT(W & a[p * wpc + w]) << p;
            }
        }
        out[o] = ob_i32(4u * dot - 2u * z * weight_ones - other);
    }
}

OB_DISPATCHED
static void conv_rows(const ob_conv_layer *L, const uint32_t *weights, const uint32_t *planes, int32_t in_rows,
    int32_t *acc, int32_t out_rows, int32_t oy_start, int32_t oy_end)
{
    const int32_t k = L->kernel, wpc = ob_wpc(L->in_channels), bits = L->bits, cout = L->out_channels;
    const int32_t pixel_words = bits * wpc, row_words = L->in_width * pixel_words, filter_words = k * k * wpc;
    const uint32_t z = (uint32_t)L->zero_code, cin = (uint32_t)L->in_channels;
    const uint32_t *tap_pixels[OB_MAX_K * OB_MAX_K];
    int32_t tap_offsets[OB_MAX_K * OB_MAX_K];

    for (int32_t oy = oy_start; oy < oy_end; oy++)
    {
        int32_t iy0 = oy * L->stride - L->pad_top;
        int32_t ky0 = iy0 < 0 ? -iy0 : 0, ky1 = L->in_height - iy0 < k ? L->in_height - iy0 : k;
        int32_t *out_row = acc + (int64_t)(oy % out_rows) * L->out_width * cout;
        for (int32_t ox = 0; ox < L->out_width; ox++)
        {
            int32_t ix0 = ox * L->stride - L->pad_left;
            int32_t kx0 = ix0 < 0 ? -ix0 : 0, kx1 = L->in_width - ix0 < k ? L->in_width - ix0 : k;

            /* The valid taps of this pixel and the data term Σ_valid Σ_p 2^p·popcount(A_p), shared by every output. */
            int32_t taps = 0;
            uint32_t data = 0;
            for (int32_t ky = ky0; ky < ky1; ky++)
            {
                const uint32_t *row = planes + (int64_t)((iy0 + ky) % in_rows) * row_words;
                for (int32_t kx = kx0; kx < kx1; kx++)
                {
                    const uint32_t *pixel = row + (int64_t)(ix0 + kx) * pixel_words;
                    tap_pixels[taps] = pixel;
                    tap_offsets[taps] = (ky * k + kx) * wpc;
                    taps++;
                    for (int32_t p = 0; p < bits; p++)
                        for (int32_t w = 0; w < wpc; w++) data += OB_POPCOUNT(pixel[p * wpc + w]) << p;
                }
            }
            const uint32_t border = (uint32_t)taps * cin;   /* Σ_valid Cin */

            int32_t *out = out_row + (int64_t)ox * cout;
            const uint32_t other = 2u * data - z * border;
            switch (bits)   /* a constant plane count per copy of the loop, so the compiler unrolls it */
            {
            case 1: pixel_outputs(out, weights, cout, filter_words, tap_pixels, tap_offsets, taps, wpc, 1, z, other); break;
            case 2: pixel_outputs(out, weights, cout, filter_words, tap_pixels, tap_offsets, taps, wpc, 2, z, other); break;
            case 4: pixel_outputs(out, weights, cout, filter_words, tap_pixels, tap_offsets, taps, wpc, 4, z, other); break;
            default: pixel_outputs(out, weights, cout, filter_words, tap_pixels, tap_offsets, taps, wpc, 8, z, other); break;
            }
        }
    }
}

int32_t ob_conv_rows(const ob_conv_layer *layer, const uint32_t *weights, int32_t weights_len,
    const uint32_t *planes, int32_t planes_len, int32_t in_rows,
    int32_t *acc, int32_t acc_len, int32_t out_rows, int32_t oy_start, int32_t oy_end)
{
    if (layer == 0 || weights == 0 || planes == 0 || acc == 0) return OB_E_NULL;
    int32_t status = check(layer, weights_len, planes_len, in_rows, acc_len, out_rows, oy_start, oy_end);
    if (status != OB_OK) return status;
#ifdef OB_X86_PATHS
    if (ob_x86_conv(layer, weights, planes, in_rows, acc, out_rows, oy_start, oy_end)) return OB_OK;
#endif
#if defined(OB_PATCH_PATH)
    if (conv_patch_fits(layer))
    {
        conv_rows_patch(layer, weights, planes, in_rows, acc, out_rows, oy_start, oy_end);
        return OB_OK;
    }
#endif
    conv_rows(layer, weights, planes, in_rows, acc, out_rows, oy_start, oy_end);
    return OB_OK;
}
