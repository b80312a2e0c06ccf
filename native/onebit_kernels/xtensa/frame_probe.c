/*
 * The inner loop of the device preprocessor's area resize of an RGB565 frame (shared/Frames/FramePreprocessor.cs,
 * Process: per source pixel of an output pixel's window, big-endian RGB565 decoded by bit replication and summed per
 * channel), written in C only so that scripts/xtensa-estimate.sh can price it in Xtensa code: the native estimate of
 * the preprocessor. Not part of the kernels' build.
 */
#include <stdint.h>

void ob_xt_rgb565_window(const uint8_t *frame, int32_t stride, int32_t xa, int32_t xb, int32_t ya, int32_t yb,
    int32_t *sums)
{
    int32_t sr = 0, sg = 0, sb = 0;
    for (int32_t y = ya; y < yb; y++)
    {
        const uint8_t *p = frame + y * stride + 2 * xa;
        for (int32_t x = xa; x < xb; x++)
        {
            int32_t v = (p[0] << 8) | p[1];
            int32_t r5 = v >> 11, g6 = (v >> 5) & 63, b5 = v & 31;
            p += 2;
            sr += (r5 << 3) | (r5 >> 2);
            sg += (g6 << 2) | (g6 >> 4);
            sb += (b5 << 3) | (b5 >> 2);
        }
    }
    sums[0] = sr;
    sums[1] = sg;
    sums[2] = sb;
}
