/*
 * Head pooling, CONTRACT.md §6, row by row: 64-bit per-class sums of the accumulator rows, then
 * logit = clamp_int32(RoundShift(sum·A + B, shift)) with the product and sum wrapping in 64 bits as in C#.
 */
#include "ob_internal.h"

int32_t ob_pool_rows(const ob_pool_layer *L, const int32_t *acc, int32_t acc_len, int32_t acc_rows,
    int64_t *sums, int32_t sums_len, int32_t y_start, int32_t y_end)
{
    if (L == 0 || acc == 0 || sums == 0) return OB_E_NULL;
    if (!ob_dim_ok(L->classes) || !ob_dim_ok(L->height) || !ob_dim_ok(L->width)) return OB_E_LAYER;
    if (!ob_range_ok(y_start, y_end, L->height) || acc_rows < 1) return OB_E_ROWS;
    if (sums_len < L->classes || !ob_ring_fits(acc_rows, (int64_t)L->width * L->classes, acc_len)) return OB_E_SHORT;
    const int32_t classes = L->classes;
    for (int32_t y = y_start; y < y_end; y++)
    {
        const int32_t *row = acc + (int64_t)(y % acc_rows) * L->width * classes;
        for (int32_t x = 0; x < L->width; x++)
            for (int32_t o = 0; o < classes; o++) sums[o] += row[(int64_t)x * classes + o];
    }
    return OB_OK;
}

int32_t ob_pool_finish(const ob_pool_layer *L, const int32_t *scale, int32_t scale_len,
    const int64_t *offset, int32_t offset_len, const int64_t *sums, int32_t sums_len, int32_t *logits, int32_t logits_len)
{
    if (L == 0 || scale == 0 || offset == 0 || sums == 0 || logits == 0) return OB_E_NULL;
    if (!ob_dim_ok(L->classes) || L->shift < 0 || L->shift > OB_MAX_SHIFT) return OB_E_LAYER;
    int32_t n = L->classes;
    if (scale_len < n || offset_len < n || sums_len < n || logits_len < n) return OB_E_SHORT;
    for (int32_t o = 0; o < n; o++)
    {
        int64_t v = ob_round_shift(ob_i64((uint64_t)sums[o] * (uint64_t)(int64_t)scale[o] + (uint64_t)offset[o]), L->shift);
        logits[o] = v > INT32_MAX ? INT32_MAX : v < INT32_MIN ? INT32_MIN : (int32_t)v;
    }
    return OB_OK;
}
