/*
 * The device preprocessor in C: FramePreprocessor.Process (shared/Frames/FramePreprocessor.cs) from the windows its
 * constructor computed (center crop, nearest or area sampling). Per output pixel the mean of its source window per
 * channel, rounded half up, floor((2·sum + n) / (2·n)); RGB565 (high byte first) expands by bit replication, RGB→gray
 * is (77·R + 150·G + 29·B + 128) >> 8, gray→RGB repeats the value. On the device the interpreter spends more on it
 * than the native network of the fast model (native/onebit_kernels/xtensa/README.md), hence this copy.
 */
#include "ob_internal.h"

/* Pixel formats as PixelFormat (shared/Frames/PixelFormat.cs). */
#define OB_RGB565 1
#define OB_GRAY8 2
#define OB_RGB888 3

/* Window area up to which the sums stay far below 2^31 (2·255·n + n): the C# int arithmetic never wraps there. */
#define OB_MAX_WINDOW 4000000

static int32_t bytes_per_pixel(int32_t format)
{
    return format == OB_RGB565 ? 2 : format == OB_GRAY8 ? 1 : format == OB_RGB888 ? 3 : 0;
}

static int windows_ok(const int32_t *from, const int32_t *to, int32_t count, int32_t size, int64_t *widest)
{
    for (int32_t i = 0; i < count; i++)
    {
        if (from[i] < 0 || from[i] >= to[i] || to[i] > size) return 0;
        if (to[i] - from[i] > *widest) *widest = to[i] - from[i];
    }
    return 1;
}

static inline int32_t mean(int32_t sum, int32_t n)
{
    return (2 * sum + n) / (2 * n);
}

int32_t ob_preprocess(const ob_frame_layer *L, const int32_t *x0, const int32_t *x1, int32_t xs_len,
    const int32_t *y0, const int32_t *y1, int32_t ys_len, const uint8_t *frame, int32_t frame_len, uint8_t *input, int32_t input_len)
{
    if (L == 0 || x0 == 0 || x1 == 0 || y0 == 0 || y1 == 0 || frame == 0 || input == 0) return OB_E_NULL;
    const int32_t bpp = bytes_per_pixel(L->format), sw = L->src_width, sh = L->src_height;
    const int32_t oh = L->out_height, ow = L->out_width, oc = L->out_channels;
    if (bpp == 0 || !ob_dim_ok(sw) || !ob_dim_ok(sh) || !ob_dim_ok(oh) || !ob_dim_ok(ow) || (oc != 1 && oc != 3)) return OB_E_LAYER;
    if (xs_len < ow || ys_len < oh) return OB_E_SHORT;
    int64_t wide = 0, high = 0;
    if (!windows_ok(x0, x1, ow, sw, &wide) || !windows_ok(y0, y1, oh, sh, &high) || wide * high > OB_MAX_WINDOW) return OB_E_LAYER;
    if ((int64_t)sw * sh * bpp > frame_len || (int64_t)oh * ow * oc > input_len) return OB_E_SHORT;

    const int64_t stride = (int64_t)sw * bpp;
    uint8_t *o = input;
    for (int32_t oy = 0; oy < oh; oy++)
    {
        const int32_t ya = y0[oy], yb = y1[oy];
        for (int32_t ox = 0; ox < ow; ox++)
        {
            const int32_t xa = x0[ox], xb = x1[ox], n = (yb - ya) * (xb - xa);
            int32_t sr = 0, sg = 0, sb = 0;
            if (L->format == OB_GRAY8)
            {
                for (int32_t y = ya; y < yb; y++)
                {
                    const uint8_t *p = frame + y * stride + xa;
                    for (int32_t x = xa; x < xb; x++) sg += *p++;
                }
                uint8_t gray = (uint8_t)mean(sg, n);
                *o++ = gray;
                if (oc == 3)
                {
                    *o++ = gray;
                    *o++ = gray;
                }
                continue;
            }
            if (L->format == OB_RGB565)
            {
                for (int32_t y = ya; y < yb; y++)
                {
                    const uint8_t *p = frame + y * stride + 2 * xa;
                    for (int32_t x = xa; x < xb; x++, p += 2)
                    {
                        int32_t v = (p[0] << 8) | p[1], r5 = v >> 11, g6 = (v >> 5) & 63, b5 = v & 31;
                        sr += (r5 << 3) | (r5 >> 2);
                        sg += (g6 << 2) | (g6 >> 4);
                        sb += (b5 << 3) | (b5 >> 2);
                    }
                }
            }
            else
            {
                for (int32_t y = ya; y < yb; y++)
                {
                    const uint8_t *p = frame + y * stride + 3 * xa;
                    for (int32_t x = xa; x < xb; x++, p += 3)
                    {
                        sr += p[0];
                        sg += p[1];
                        sb += p[2];
                    }
                }
            }
            int32_t r = mean(sr, n), g = mean(sg, n), b = mean(sb, n);
            if (oc == 3)
            {
                *o++ = (uint8_t)r;
                *o++ = (uint8_t)g;
                *o++ = (uint8_t)b;
            }
            else
                *o++ = (uint8_t)((77 * r + 150 * g + 29 * b + 128) >> 8);
        }
    }
    return OB_OK;
}
