/*
 * Stem, CONTRACT.md §5: per input channel c, P = Σ_valid w·u and Q = Σ_valid w over the k×k taps (stride 1), then
 * S = RoundShift(Σ_c A_c·P + B_c·Q, shift). Q is the exact-border term: it counts only valid taps.
 */
#include "ob_internal.h"

int32_t ob_stem_rows(const ob_stem_layer *L, const int32_t *pixel_scale, const int32_t *weight_sum_scale,
    int32_t scales_len, const uint32_t *weights, int32_t weights_len, const uint8_t *pixels, int32_t pixels_len,
    int32_t *stream, int32_t stream_len, int32_t out_rows, int32_t oy_start, int32_t oy_end)
{
    if (L == 0 || pixel_scale == 0 || weight_sum_scale == 0 || weights == 0 || pixels == 0 || stream == 0) return OB_E_NULL;
    const int32_t k = L->kernel, cin = L->in_channels, cout = L->out_channels, h = L->height, w = L->width;
    if (k < 1 || k > 7 || L->pad_top < 0 || L->pad_top >= k || L->pad_left < 0 || L->pad_left >= k) return OB_E_LAYER;
    if (!ob_dim_ok(cin) || !ob_dim_ok(cout) || !ob_dim_ok(h) || !ob_dim_ok(w)) return OB_E_LAYER;
    if (L->shift < 0 || L->shift > OB_MAX_SHIFT) return OB_E_LAYER;
    if (!ob_range_ok(oy_start, oy_end, h) || out_rows < 1) return OB_E_ROWS;
    const int32_t wpc = ob_wpc(cin);
    if (scales_len < cin || (int64_t)cout * k * k * wpc > weights_len || (int64_t)h * w * cin > pixels_len) return OB_E_SHORT;
    if (!ob_ring_fits(out_rows, (int64_t)w * cout, stream_len)) return OB_E_SHORT;

    for (int32_t oy = oy_start; oy < oy_end; oy++)
    {
        int32_t iy0 = oy - L->pad_top;
        int32_t ky0 = iy0 < 0 ? -iy0 : 0, ky1 = h - iy0 < k ? h - iy0 : k;
        int32_t *row = stream + (int64_t)(oy % out_rows) * w * cout;
        for (int32_t ox = 0; ox < w; ox++)
        {
            int32_t ix0 = ox - L->pad_left;
            int32_t kx0 = ix0 < 0 ? -ix0 : 0, kx1 = w - ix0 < k ? w - ix0 : k;
            for (int32_t o = 0; o < cout; o++)
            {
                const uint32_t *filter = weights + (int64_t)o * k * k * wpc;
                uint64_t total = 0;
                for (int32_t c = 0; c < cin; c++)
                {
                    int64_t p = 0, q = 0;
                    uint32_t bit = (uint32_t)1 << (c & 31);
                    for (int32_t ky = ky0; ky < ky1; ky++)
                    {
                        const uint8_t *src = pixels + ((int64_t)(iy0 + ky) * w + ix0) * cin + c;
                        for (int32_t kx = kx0; kx < kx1; kx++)
                        {
                            int32_t u = src[(int64_t)kx * cin];
                            if (filter[(ky * k + kx) * wpc + (c >> 5)] & bit) { p += u; q++; }
                            else { p -= u; q--; }
                        }
                    }
                    total += (uint64_t)((int64_t)pixel_scale[c] * p) + (uint64_t)((int64_t)weight_sum_scale[c] * q);
                }
                row[(int64_t)ox * cout + o] = ob_i32((uint64_t)ob_round_shift(ob_i64(total), L->shift));
            }
        }
    }
    return OB_OK;
}
