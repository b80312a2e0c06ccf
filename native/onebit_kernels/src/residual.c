/*
 * Residual block end, CONTRACT.md §5: S' = shortcut(S) + RoundShift(acc·M, shift), the shortcut being the identity or
 * the 3×3 stride-2 average pool whose divisor counts only the valid cells (round half up, floor division), with the
 * channels beyond the input's zero. The int32 and int16 stream rings share one body (stream_rows, inlined with a
 * constant element width); the 16-bit result is the int32 one truncated, as the C# kernels do.
 */
#include "ob_internal.h"
#ifdef OB_X86_PATHS
#include "x86/ob_x86.h"
#endif

OB_INLINE int64_t load(const void *s, int wide, int64_t i)
{
    return wide ? ((const int32_t *)s)[i] : ((const int16_t *)s)[i];
}

OB_INLINE void store(void *s, int wide, int64_t i, uint64_t v)
{
    if (wide) ((int32_t *)s)[i] = ob_i32(v);
    else ((int16_t *)s)[i] = ob_i16(v);
}

/* floor((2·sum + n) / (2·n)) for n > 0; in 32 bits when the numerator fits (always for int16 streams): a 32-bit core
 * divides 64-bit numbers in software. */
OB_INLINE int64_t round_div(int64_t sum, int64_t n)
{
    int64_t num = 2 * sum + n, den = 2 * n;
    if (num >= INT32_MIN && num <= INT32_MAX)
    {
        int32_t a = (int32_t)num, b = (int32_t)den, q32 = a / b;
        if (a % b != 0 && a < 0) q32--;
        return q32;
    }
    int64_t q = num / den;
    if (num % den != 0 && num < 0) q--;
    return q;
}

static int32_t check(const ob_residual_layer *L, int32_t multipliers_len, int32_t in_len, int32_t in_rows,
    int32_t acc_len, int32_t acc_rows, int32_t out_len, int32_t out_rows, int32_t oy_start, int32_t oy_end)
{
    if (!ob_dim_ok(L->in_height) || !ob_dim_ok(L->in_width) || !ob_dim_ok(L->in_channels) || !ob_dim_ok(L->out_channels))
        return OB_E_LAYER;
    if (L->shortcut == 0)
    {
        if (L->out_height != L->in_height || L->out_width != L->in_width) return OB_E_LAYER;
    }
    else if (L->shortcut == 1)
    {
        if (L->out_height != (L->in_height + 1) / 2 || L->out_width != (L->in_width + 1) / 2) return OB_E_LAYER;
        if (L->pad_top < 0 || L->pad_top > 2 || L->pad_left < 0 || L->pad_left > 2) return OB_E_LAYER;
    }
    else return OB_E_LAYER;
    if (L->shift < 0 || L->shift > OB_MAX_SHIFT) return OB_E_LAYER;
    if (multipliers_len < 1 || (multipliers_len > 1 && multipliers_len < L->out_channels)) return OB_E_SHORT;
    if (!ob_range_ok(oy_start, oy_end, L->out_height) || in_rows < 1 || acc_rows < 1 || out_rows < 1) return OB_E_ROWS;
    int64_t out_row = (int64_t)L->out_width * L->out_channels;
    if (!ob_ring_fits(in_rows, (int64_t)L->in_width * L->in_channels, in_len)) return OB_E_SHORT;
    if (!ob_ring_fits(acc_rows, out_row, acc_len) || !ob_ring_fits(out_rows, out_row, out_len)) return OB_E_SHORT;
    return OB_OK;
}

OB_INLINE void stream_rows(const ob_residual_layer *L, const int32_t *M, int per_channel, int wide,
    const void *in, int32_t in_rows, const int32_t *acc, int32_t acc_rows, void *out, int32_t out_rows,
    int32_t oy_start, int32_t oy_end)
{
    const int32_t cin = L->in_channels, cout = L->out_channels, in_w = L->in_width, out_w = L->out_width;
    const int32_t copy = cin < cout ? cin : cout;
    for (int32_t oy = oy_start; oy < oy_end; oy++)
    {
        const int32_t *acc_row = acc + (int64_t)(oy % acc_rows) * out_w * cout;
        int64_t out_base = (int64_t)(oy % out_rows) * out_w * cout;
        int32_t iy0 = oy * 2 - L->pad_top;
        int32_t ky0 = iy0 < 0 ? -iy0 : 0, ky1 = L->in_height - iy0 < 3 ? L->in_height - iy0 : 3;
        /* The identity shortcut's input row, computed once per row: inside the channel loop the division and the
         * 64-bit index products cost more than the element's own work on a 32-bit core. */
        const int64_t identity_row = L->shortcut == 0 ? (int64_t)(oy % in_rows) * in_w : 0;
        for (int32_t ox = 0; ox < out_w; ox++)
        {
            int32_t ix0 = ox * 2 - L->pad_left;
            int32_t kx0 = ix0 < 0 ? -ix0 : 0, kx1 = in_w - ix0 < 3 ? in_w - ix0 : 3;
            /* The pooled shortcut's valid cells, as element indices of channel 0, once per pixel. */
            int64_t cell[9];
            int32_t cells = 0;
            if (L->shortcut != 0)
                for (int32_t ky = ky0; ky < ky1; ky++)
                {
                    int64_t row = (int64_t)((iy0 + ky) % in_rows) * in_w;
                    for (int32_t kx = kx0; kx < kx1; kx++) cell[cells++] = (row + ix0 + kx) * cin;
                }
            const int64_t identity_pixel = (identity_row + ox) * cin;
            for (int32_t c = 0; c < cout; c++)
            {
                int64_t v = 0;
                if (c < copy)
                {
                    if (L->shortcut == 0) v = load(in, wide, identity_pixel + c);
                    else
                    {
                        int64_t sum = 0;
                        for (int32_t j = 0; j < cells; j++) sum += load(in, wide, cell[j] + c);
                        v = round_div(sum, cells);
                    }
                }
                int64_t m = M[per_channel ? c : 0];
                int64_t i = (int64_t)ox * cout + c;
                store(out, wide, out_base + i, (uint64_t)v + (uint64_t)ob_round_shift(acc_row[i] * m, L->shift));
            }
        }
    }
}

/* The int32 and int16 entry points differ only in the stream's element type: `wide` says which (ob_x86_residual and
 * stream_rows take the same flag). Inlined into both, so each has its own loops with `wide` a constant, as the Xtensa
 * estimate prices them (scripts/xtensa_loops.py). */
OB_INLINE int32_t residual_rows(const ob_residual_layer *layer, const int32_t *multipliers, int32_t multipliers_len,
    const void *stream_in, int32_t in_len, int32_t in_rows, const int32_t *acc, int32_t acc_len, int32_t acc_rows,
    void *stream_out, int32_t out_len, int32_t out_rows, int32_t oy_start, int32_t oy_end, int wide)
{
    if (layer == 0 || multipliers == 0 || stream_in == 0 || acc == 0 || stream_out == 0) return OB_E_NULL;
    int32_t status = check(layer, multipliers_len, in_len, in_rows, acc_len, acc_rows, out_len, out_rows, oy_start, oy_end);
    if (status != OB_OK) return status;
#ifdef OB_X86_PATHS
    if (ob_x86_residual(layer, multipliers, multipliers_len > 1, wide, stream_in, in_rows, acc, acc_rows, stream_out, out_rows, oy_start, oy_end))
        return OB_OK;
#endif
    stream_rows(layer, multipliers, multipliers_len > 1, wide, stream_in, in_rows, acc, acc_rows, stream_out, out_rows, oy_start, oy_end);
    return OB_OK;
}

int32_t ob_residual_rows(const ob_residual_layer *layer, const int32_t *multipliers, int32_t multipliers_len,
    const int32_t *stream_in, int32_t in_len, int32_t in_rows, const int32_t *acc, int32_t acc_len, int32_t acc_rows,
    int32_t *stream_out, int32_t out_len, int32_t out_rows, int32_t oy_start, int32_t oy_end)
{
    return residual_rows(layer, multipliers, multipliers_len, stream_in, in_len, in_rows, acc, acc_len, acc_rows,
        stream_out, out_len, out_rows, oy_start, oy_end, 1);
}

int32_t ob_residual_rows_i16(const ob_residual_layer *layer, const int32_t *multipliers, int32_t multipliers_len,
    const int16_t *stream_in, int32_t in_len, int32_t in_rows, const int32_t *acc, int32_t acc_len, int32_t acc_rows,
    int16_t *stream_out, int32_t out_len, int32_t out_rows, int32_t oy_start, int32_t oy_end)
{
    return residual_rows(layer, multipliers, multipliers_len, stream_in, in_len, in_rows, acc, acc_len, acc_rows,
        stream_out, out_len, out_rows, oy_start, oy_end, 0);
}
