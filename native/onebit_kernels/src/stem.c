/*
 * Stem, CONTRACT.md §5: per input channel c, P = Σ_valid w·u and Q = Σ_valid w over the k×k taps (stride 1), then
 * S = RoundShift(Σ_c A_c·P + B_c·Q, shift). Q is the exact-border term: it counts only valid taps.
 */
#include "ob_internal.h"
#ifdef OB_X86_PATHS
#include "x86/ob_x86.h"
#endif

/* Taps per output pixel kept on the stack (k ≤ 7; the contract uses 1 and 3). */
#define OB_STEM_MAX_K 7

/* The stem of a few input channels and a small kernel (the RGB or gray 3×3 stem of every committed model), in the
 * same integer sums as the general loop below, regrouped for a 32-bit core. With P = 2·Σ_{w=+1} u − Σu and
 * Q = 2·#{w=+1} − taps over the valid taps,
 *   Σ_c A_c·P_c + B_c·Q_c = base + 2·Σ_{valid t} Σ_{c: w_tc=+1} (A_c·u_tc + B_c),   base = −Σ_c (A_c·Σu_c + B_c·taps),
 * so per output pixel each valid tap gets a table over the 2^Cin sign patterns of its channels, and each output adds
 * one entry per tap, picked by its filter word's low Cin bits (a padded tap's table is all zero: the exact border).
 * Sums wrap modulo 2^64 as in C#, which the regrouping does not change. */
#define OB_STEM_SMALL_K 3
#define OB_STEM_SMALL_CIN 3

static int stem_small_fits(const ob_stem_layer *L)
{
    return L->kernel <= OB_STEM_SMALL_K && L->in_channels <= OB_STEM_SMALL_CIN;
}

OB_NOINLINE static void stem_rows_small(const ob_stem_layer *L, const int32_t *pixel_scale, const int32_t *weight_sum_scale,
    const uint32_t *weights, const uint8_t *pixels, int32_t *stream, int32_t out_rows, int32_t oy_start, int32_t oy_end)
{
    const int32_t k = L->kernel, kk = k * k, cin = L->in_channels, cout = L->out_channels, h = L->height, w = L->width;
    const int32_t patterns = 1 << cin;
    const uint32_t mask = (uint32_t)patterns - 1u;
    uint64_t table[OB_STEM_SMALL_K * OB_STEM_SMALL_K << OB_STEM_SMALL_CIN];   /* [tap][sign pattern] */
    for (int32_t oy = oy_start; oy < oy_end; oy++)
    {
        int32_t *row = stream + (int64_t)(oy % out_rows) * w * cout;
        for (int32_t ox = 0; ox < w; ox++)
        {
            int32_t taps = 0;
            uint64_t base = 0;
            for (int32_t ky = 0; ky < k; ky++)
                for (int32_t kx = 0; kx < k; kx++)
                {
                    int32_t iy = oy - L->pad_top + ky, ix = ox - L->pad_left + kx;
                    uint64_t *entry = table + (ky * k + kx) * patterns;
                    entry[0] = 0;
                    if (iy < 0 || iy >= h || ix < 0 || ix >= w)
                    {
                        for (int32_t m = 1; m < patterns; m++) entry[m] = 0;
                        continue;
                    }
                    const uint8_t *p = pixels + ((int64_t)iy * w + ix) * cin;
                    taps++;
                    for (int32_t c = 0; c < cin; c++)
                    {
                        uint64_t a = (uint64_t)((int64_t)pixel_scale[c] * p[c]);
                        uint64_t v = a + (uint64_t)(int64_t)weight_sum_scale[c];
                        base -= a;
                        for (int32_t m = 1 << c; m < 2 << c; m++) entry[m] = entry[m - (1 << c)] + v;
                    }
                }
            for (int32_t c = 0; c < cin; c++) base -= (uint64_t)((int64_t)weight_sum_scale[c] * taps);
            const uint32_t *filter = weights;
            for (int32_t o = 0; o < cout; o++, filter += kk)
            {
                uint64_t sum = 0;
                for (int32_t t = 0; t < kk; t++) sum += table[t * patterns + (int32_t)(filter[t] & mask)];
                row[(int64_t)ox * cout + o] = ob_i32((uint64_t)ob_round_shift(ob_i64(base + 2u * sum), L->shift));
            }
        }
    }
}

int32_t ob_stem_rows(const ob_stem_layer *L, const int32_t *pixel_scale, const int32_t *weight_sum_scale,
    int32_t scales_len, const uint32_t *weights, int32_t weights_len, const uint8_t *pixels, int32_t pixels_len,
    int32_t *stream, int32_t stream_len, int32_t out_rows, int32_t oy_start, int32_t oy_end)
{
    if (L == 0 || pixel_scale == 0 || weight_sum_scale == 0 || weights == 0 || pixels == 0 || stream == 0) return OB_E_NULL;
    const int32_t k = L->kernel, cin = L->in_channels, cout = L->out_channels, h = L->height, w = L->width;
    if (k < 1 || k > OB_STEM_MAX_K || L->pad_top < 0 || L->pad_top >= k || L->pad_left < 0 || L->pad_left >= k) return OB_E_LAYER;
    if (!ob_dim_ok(cin) || !ob_dim_ok(cout) || !ob_dim_ok(h) || !ob_dim_ok(w)) return OB_E_LAYER;
    if (L->shift < 0 || L->shift > OB_MAX_SHIFT) return OB_E_LAYER;
    if (!ob_range_ok(oy_start, oy_end, h) || out_rows < 1) return OB_E_ROWS;
    const int32_t wpc = ob_wpc(cin);
    if (scales_len < cin || (int64_t)cout * k * k * wpc > weights_len || (int64_t)h * w * cin > pixels_len) return OB_E_SHORT;
    if (!ob_ring_fits(out_rows, (int64_t)w * cout, stream_len)) return OB_E_SHORT;
#ifdef OB_X86_PATHS
    if (ob_x86_stem(L, pixel_scale, weight_sum_scale, weights, pixels, stream, out_rows, oy_start, oy_end)) return OB_OK;
#endif

    if (stem_small_fits(L))
    {
        stem_rows_small(L, pixel_scale, weight_sum_scale, weights, pixels, stream, out_rows, oy_start, oy_end);
        return OB_OK;
    }
    int64_t tap_pixel[OB_STEM_MAX_K * OB_STEM_MAX_K];
    int32_t tap_word[OB_STEM_MAX_K * OB_STEM_MAX_K];
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
                    tap_word[taps] = (ky * k + kx) * wpc;
                    taps++;
                }
            for (int32_t o = 0; o < cout; o++)
            {
                const uint32_t *filter = weights + (int64_t)o * k * k * wpc;
                uint64_t total = 0;
                for (int32_t c = 0; c < cin; c++)
                {
                    /* P = Σ w·u = 2·Σ_{w=+1} u − Σ u and Q = 2·#{w=+1} − taps, without a branch per tap. */
                    const int32_t word = c >> 5, bit = c & 31;
                    int32_t sum_u = 0, plus_u = 0, plus = 0;
                    for (int32_t t = 0; t < taps; t++)
                    {
                        int32_t u = pixels[tap_pixel[t] + c];
                        int32_t set = (int32_t)((filter[tap_word[t] + word] >> bit) & 1u);
                        sum_u += u;
                        plus_u += u & -set;
                        plus += set;
                    }
                    int64_t p = 2 * (int64_t)plus_u - sum_u, q = 2 * (int64_t)plus - taps;
                    total += (uint64_t)((int64_t)pixel_scale[c] * p) + (uint64_t)((int64_t)weight_sum_scale[c] * q);
                }
                row[(int64_t)ox * cout + o] = ob_i32((uint64_t)ob_round_shift(ob_i64(total), L->shift));
            }
        }
    }
    return OB_OK;
}
