/*
 * Activation quantizer, CONTRACT.md §2–§3, written as bit-planes: threshold mode j = #{k : s·X ≥ T_k} (64-bit
 * comparison; every threshold is counted, as the reference does, so the result does not rest on the rows being sorted),
 * affine mode j = clamp((M·X + B) >> shift, 0, L−1) with a floor shift and a sum that wraps in 64 bits as in C#.
 * Each plane word is assembled whole and stored once, so padding bits are zero and stale ring data is overwritten.
 */
#include "ob_internal.h"
#ifdef OB_X86_PATHS
#include "x86/ob_x86.h"
#endif

static int32_t check(const ob_quantize_layer *L, const int32_t *thresholds, int32_t thresholds_len,
    const int32_t *signs, int32_t signs_len, const int32_t *multipliers, int32_t multipliers_len,
    const int64_t *offsets, int32_t offsets_len, int32_t input_len, int32_t in_rows, int32_t planes_len,
    int32_t out_rows, int32_t y_start, int32_t y_end)
{
    if (L->bits != 1 && L->bits != 2 && L->bits != 4 && L->bits != 8) return OB_E_LAYER;
    if (!ob_dim_ok(L->height) || !ob_dim_ok(L->width) || !ob_dim_ok(L->channels)) return OB_E_LAYER;
    if (L->rows != 1 && L->rows != L->channels) return OB_E_LAYER;
    if (L->mode == 0)
    {
        if (thresholds == 0 || signs == 0) return OB_E_NULL;
        if ((int64_t)L->rows * ((1 << L->bits) - 1) > thresholds_len || L->rows > signs_len) return OB_E_SHORT;
    }
    else if (L->mode == 1)
    {
        if (multipliers == 0 || offsets == 0) return OB_E_NULL;
        if (L->shift < 0 || L->shift > OB_MAX_SHIFT) return OB_E_LAYER;
        if (L->rows > multipliers_len || L->rows > offsets_len) return OB_E_SHORT;
    }
    else return OB_E_LAYER;
    if (!ob_range_ok(y_start, y_end, L->height) || in_rows < 1 || out_rows < 1) return OB_E_ROWS;
    if (!ob_ring_fits(in_rows, (int64_t)L->width * L->channels, input_len)) return OB_E_SHORT;
    if (!ob_ring_fits(out_rows, (int64_t)L->width * L->bits * ob_wpc(L->channels), planes_len)) return OB_E_SHORT;
    return OB_OK;
}

static inline uint32_t threshold_level(const int32_t *t, int32_t per, int32_t sign, int32_t x)
{
    int64_t v = (int64_t)sign * x;
    uint32_t j = 0;
    for (int32_t k = 0; k < per; k++) j += v >= t[k];
    return j;
}

static inline uint32_t affine_level(int32_t m, int64_t b, int32_t shift, int32_t per, int32_t x)
{
    int64_t a = ob_floor_shift(ob_i64((uint64_t)((int64_t)m * x) + (uint64_t)b), shift);
    return a < 0 ? 0u : a > per ? (uint32_t)per : (uint32_t)a;
}

/* sign·x ≥ t as the 64-bit comparison of threshold_level, in 32-bit compares for sign ±1 (−x ≥ t ⇔ x ≤ −t, and
 * always true for t = INT32_MIN); other signs, which the blob reader rejects, take threshold_level. */
OB_INLINE uint32_t at_or_above(int32_t sign, int32_t x, int32_t t)
{
    if (sign == 1) return x >= t;
    if (sign == -1) return t == INT32_MIN || x <= -t;
    return threshold_level(&t, 1, sign, x);
}

/* Rows [y_start, y_end) over the rings. Threshold mode at 1 or 2 bits (low_bits, the quantizer of every committed
 * model) takes its own word loop: the level's two bits go straight into two plane words held in registers, and the
 * comparisons are 32-bit (a core without 64-bit compares pays a 64-bit one as several branches). */
OB_INLINE void quantize_body(const ob_quantize_layer *L, const int32_t *thresholds, const int32_t *signs,
    const int32_t *multipliers, const int64_t *offsets, const int32_t *input, int32_t in_rows,
    uint32_t *planes, int32_t out_rows, int32_t y_start, int32_t y_end, const int low_bits)
{
    const int32_t bits = L->bits, c_all = L->channels, wpc = ob_wpc(c_all), per = (1 << bits) - 1;
    const int32_t per_channel = L->rows != 1, affine = L->mode == 1;
    for (int32_t y = y_start; y < y_end; y++)
    {
        const int32_t *in_row = input + (int64_t)(y % in_rows) * L->width * c_all;
        uint32_t *out_row = planes + (int64_t)(y % out_rows) * L->width * bits * wpc;
        for (int32_t x = 0; x < L->width; x++)
        {
            const int32_t *v = in_row + (int64_t)x * c_all;
            uint32_t *pixel = out_row + (int64_t)x * bits * wpc;
            for (int32_t word = 0; word < wpc; word++)
            {
                int32_t c0 = word << 5, c1 = c0 + 32 < c_all ? c0 + 32 : c_all;
                if (low_bits)
                {
                    uint32_t low = 0, high = 0;
                    for (int32_t c = c0; c < c1; c++)
                    {
                        int32_t row = per_channel ? c : 0, sign = signs[row];
                        const int32_t *t = thresholds + (int64_t)row * per;
                        uint32_t j = at_or_above(sign, v[c], t[0]);
                        if (per == 3) j += at_or_above(sign, v[c], t[1]) + at_or_above(sign, v[c], t[2]);
                        low |= (j & 1u) << (c - c0);
                        high |= (j >> 1) << (c - c0);
                    }
                    pixel[word] = low;
                    if (bits == 2) pixel[wpc + word] = high;
                    continue;
                }
                uint32_t plane[8] = { 0, 0, 0, 0, 0, 0, 0, 0 };
                for (int32_t c = c0; c < c1; c++)
                {
                    int32_t row = per_channel ? c : 0;
                    uint32_t j = affine
                        ? affine_level(multipliers[row], offsets[row], L->shift, per, v[c])
                        : threshold_level(thresholds + (int64_t)row * per, per, signs[row], v[c]);
                    for (int32_t p = 0; p < bits; p++) plane[p] |= ((j >> p) & 1u) << (c - c0);
                }
                for (int32_t p = 0; p < bits; p++) pixel[p * wpc + word] = plane[p];
            }
        }
    }
}

OB_NOINLINE static void threshold_rows_low_bits(const ob_quantize_layer *L, const int32_t *thresholds, const int32_t *signs,
    const int32_t *input, int32_t in_rows, uint32_t *planes, int32_t out_rows, int32_t y_start, int32_t y_end)
{
    quantize_body(L, thresholds, signs, 0, 0, input, in_rows, planes, out_rows, y_start, y_end, 1);
}

int32_t ob_quantize_rows(const ob_quantize_layer *L,
    const int32_t *thresholds, int32_t thresholds_len, const int32_t *signs, int32_t signs_len,
    const int32_t *multipliers, int32_t multipliers_len, const int64_t *offsets, int32_t offsets_len,
    const int32_t *input, int32_t input_len, int32_t in_rows,
    uint32_t *planes, int32_t planes_len, int32_t out_rows, int32_t y_start, int32_t y_end)
{
    if (L == 0 || input == 0 || planes == 0) return OB_E_NULL;
    int32_t status = check(L, thresholds, thresholds_len, signs, signs_len, multipliers, multipliers_len, offsets,
        offsets_len, input_len, in_rows, planes_len, out_rows, y_start, y_end);
    if (status != OB_OK) return status;
#ifdef OB_X86_PATHS
    if (ob_x86_quantize(L, thresholds, signs, multipliers, offsets, input, in_rows, planes, out_rows, y_start, y_end)) return OB_OK;
#endif

    if (L->mode == 0 && L->bits <= 2)
    {
        threshold_rows_low_bits(L, thresholds, signs, input, in_rows, planes, out_rows, y_start, y_end);
        return OB_OK;
    }
    quantize_body(L, thresholds, signs, multipliers, offsets, input, in_rows, planes, out_rows, y_start, y_end, 0);
    return OB_OK;
}
