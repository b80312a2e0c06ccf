using OneBit.Runtime.Model;

namespace OneBit.Runtime.Kernels.Tuned
{
    /// <summary>
    /// Threshold activation (CONTRACT.md §2–§3) tuned for an IL interpreter, bit-exact with
    /// <see cref="Reference.QuantizeReference"/>: j = #{k : s·X ≥ T_k}.
    ///
    /// Each output word (32 channels of one bit-plane of one pixel) is assembled in locals and stored once, so no
    /// pre-clearing and no per-bit read-modify-write of the plane array. Because every row of thresholds is
    /// nondecreasing (the reader checks it), j ≥ m ⟺ s·X ≥ T_m, so for 1 and 2 bits the plane bits come from one or
    /// two comparisons; 4 and 8 bits use a binary search over the row. A shared row (shifted-ReLU networks) with sign
    /// +1 compares the int32 inputs directly (exactly the 64-bit comparison, since both sides are int32). Per-channel
    /// rows (folded batch norm) and a shared row with sign −1 at 1 and 2 bits go channel by channel instead, with the
    /// row in locals and sign −1 turned into an exact int32 bound (see PerChannel), ORing into cleared planes: fewer
    /// interpreted operations per element than the binary search or a channel-inner loop that reads the sign and the
    /// thresholds per element (figures in shared/README.md). 4/8-bit rows other than the shared +1 one
    /// compare s·X in 64-bit like the reference. The whole frame (NetworkRunner) and a row range over ring buffers
    /// (StreamingRunner, one row per call) run the same paths: each path takes a span of consecutive pixels and the
    /// offsets of its first input int and first plane word. Stateless; never allocates.
    ///
    /// <para>Shared1, the 1-bit shared-row path with its compares unrolled per word, is generated
    /// (TunedQuantize.Shared1.g.cs, by tests/OneBit.Runtime.Tests/Generated/KernelSourceGenerator.cs; see
    /// shared/README.md).</para>
    /// </summary>
    public static partial class TunedQuantize
    {
        /// <summary>The specialised paths, for the path-hit counters (<see cref="KernelPaths"/>); the sweeps must run each.</summary>
        public static class Paths
        {
            public const string AffineReference = "TunedQuantize.AffineReference";
            public const string Shared1Word32 = "TunedQuantize.Shared1Word32";
            public const string Shared1Word16 = "TunedQuantize.Shared1Word16";
            public const string Shared1WordAny = "TunedQuantize.Shared1WordAny";
            public const string Shared2 = "TunedQuantize.Shared2";
            public const string Positive1 = "TunedQuantize.Positive1";
            public const string Negative1 = "TunedQuantize.Negative1";
            public const string Positive2 = "TunedQuantize.Positive2";
            public const string Negative2 = "TunedQuantize.Negative2";
            public const string BinarySearch = "TunedQuantize.BinarySearch";
        }

        /// <summary>The whole frame: rows [0, H) with both rings of H rows (one contiguous span, one path call).</summary>
        public static void Run(QuantizeLayer L, int[] input, uint[] planes)
        {
            Run(L, input, L.Height, planes, L.Height, 0, L.Height);
        }

        /// <summary>
        /// Rows [yStart, yEnd) over ring buffers, with the semantics of the reference's row-range Run: input row y at
        /// slot y % inRows of <paramref name="input"/> (W·C int32), planes row y to slot y % outRows of
        /// <paramref name="planes"/> (W·bits·wpc words, every word of the row written). Rows whose slots are consecutive
        /// in both rings go to the path in one call (the whole frame: a single call over H·W pixels; the streaming
        /// runner: one row per call). Affine layers run the reference.
        /// </summary>
        public static void Run(QuantizeLayer L, int[] input, int inRows, uint[] planes, int outRows, int yStart, int yEnd)
        {
            if (L.Mode == QuantizeLayer.AffineMode)
            {
                KernelPaths.Hit(Paths.AffineReference);
                Reference.QuantizeReference.Run(L, input, inRows, planes, outRows, yStart, yEnd);
                return;
            }
            int W = L.Width, rowInts = W * L.Channels, rowWords = W * L.Bits * BitConvention.WordsFor(L.Channels);
            for (int y = yStart; y < yEnd;)
            {
                int si = y % inRows, so = y % outRows, rows = yEnd - y;
                if (inRows - si < rows) rows = inRows - si;
                if (outRows - so < rows) rows = outRows - so;
                Span(L, input, si * rowInts, planes, so * rowWords, rows * W);
                y += rows;
            }
        }

        /// <summary>
        /// <paramref name="pixels"/> consecutive pixels: inputs from <paramref name="input"/>[xi0] on (C per pixel),
        /// plane words from <paramref name="planes"/>[o0] on (bits·wpc per pixel).
        /// </summary>
        private static void Span(QuantizeLayer L, int[] input, int xi0, uint[] planes, int o0, int pixels)
        {
            int bits = L.Bits, C = L.Channels, wpc = BitConvention.WordsFor(C), per = L.ThresholdsPerRow;
            int[] T = L.Thresholds;
            if (L.Rows == 1 && L.Signs[0] == 1 && bits <= 2)
            {
                if (bits == 1)
                {
                    KernelPaths.HitIf(C >= 32, Paths.Shared1Word32);
                    KernelPaths.HitIf(C % 32 == 16, Paths.Shared1Word16);
                    KernelPaths.HitIf(C % 32 != 0 && C % 32 != 16, Paths.Shared1WordAny);
                    Shared1(input, xi0, planes, o0, pixels, C, wpc, T[0]);
                }
                else
                {
                    KernelPaths.Hit(Paths.Shared2);
                    Shared2(input, xi0, planes, o0, pixels, C, wpc, T[0], T[1], T[2]);
                }
                return;
            }
            if (bits <= 2)
            {
                PerChannel(L, input, xi0, planes, o0, pixels);
                return;
            }

            KernelPaths.Hit(Paths.BinarySearch);
            int perChannel = L.Rows == 1 ? 0 : 1;
            int[] signs = L.Signs;
            for (int px = 0, xi = xi0, pw = o0; px < pixels; px++, pw += bits * wpc)
            {
                for (int w = 0, c0 = 0; w < wpc; w++, c0 += 32)
                {
                    int cEnd = c0 + 32 < C ? c0 + 32 : C;
                    uint p0 = 0, p1 = 0, p2 = 0, p3 = 0, p4 = 0, p5 = 0, p6 = 0, p7 = 0;
                    uint m = 1;
                    for (int c = c0; c < cEnd; c++, xi++, m <<= 1)
                    {
                        int row = c * perChannel;
                        long x = (long)signs[row] * input[xi];
                        int tb = row * per;
                        // j = number of thresholds ≤ x in a nondecreasing row: binary search for the first T > x.
                        int lo = 0, hi = per;
                        while (lo < hi)
                        {
                            int mid = (lo + hi) >> 1;
                            if (x >= T[tb + mid]) lo = mid + 1;
                            else hi = mid;
                        }
                        int j = lo;
                        if (j == 0) continue;
                        if ((j & 1) != 0) p0 |= m;
                        if ((j & 2) != 0) p1 |= m;
                        if ((j & 4) != 0) p2 |= m;
                        if ((j & 8) != 0) p3 |= m;
                        if ((j & 16) != 0) p4 |= m;
                        if ((j & 32) != 0) p5 |= m;
                        if ((j & 64) != 0) p6 |= m;
                        if ((j & 128) != 0) p7 |= m;
                    }
                    int o = pw + w;
                    planes[o] = p0;
                    if (bits > 1)
                    {
                        planes[o + wpc] = p1;
                        if (bits > 2)
                        {
                            planes[o + 2 * wpc] = p2;
                            planes[o + 3 * wpc] = p3;
                            if (bits > 4)
                            {
                                planes[o + 4 * wpc] = p4;
                                planes[o + 5 * wpc] = p5;
                                planes[o + 6 * wpc] = p6;
                                planes[o + 7 * wpc] = p7;
                            }
                        }
                    }
                }
            }
        }

        /// <summary>
        /// 1 and 2 bits with a row per channel (folded batch norm) or a shared row with sign −1: channel by channel, the
        /// row's thresholds and sign in locals, a strided pass over the pixels that ORs the channel's bit into the
        /// (cleared) plane words. Per element that is one load, one or two compares against locals and about one
        /// read-modify-write; a channel-inner loop would instead read the sign and the thresholds from arrays per element.
        /// Sign −1: s·X ≥ T ⟺ −X ≥ T ⟺ X ≤ −T, exact in int32 except T = int.MinValue, which every −X (≥ −2^31 + 1)
        /// reaches, as does every X ≤ int.MaxValue; so the bound is u = −T, or int.MaxValue for T = int.MinValue.
        /// The bounds of a nondecreasing row are nonincreasing, so the 2-bit nesting mirrors the sign +1 one.
        /// </summary>
        private static void PerChannel(QuantizeLayer L, int[] input, int xi0, uint[] planes, int o0, int pixels)
        {
            int bits = L.Bits, C = L.Channels, wpc = BitConvention.WordsFor(C), per = L.ThresholdsPerRow;
            int[] T = L.Thresholds, signs = L.Signs;
            int perChannel = L.Rows == 1 ? 0 : 1;
            int step = bits * wpc, n = xi0 + pixels * C;
            System.Array.Clear(planes, o0, pixels * step);
            for (int c = 0; c < C; c++)
            {
                int row = c * perChannel, tb = row * per, xi = xi0 + c, w = o0 + (c >> 5);
                uint m = 1u << (c & 31);
                bool negative = signs[row] < 0;
                KernelPaths.Hit(bits == 1 ? (negative ? Paths.Negative1 : Paths.Positive1) : negative ? Paths.Negative2 : Paths.Positive2);
                if (bits == 1)
                {
                    int t = T[tb];
                    if (negative) Negative1(input, planes, n, xi, C, w, wpc, m, t == int.MinValue ? int.MaxValue : -t);
                    else Positive1(input, planes, n, xi, C, w, wpc, m, t);
                }
                else if (negative)
                {
                    int t0 = T[tb], t1 = T[tb + 1], t2 = T[tb + 2];
                    Negative2(input, planes, n, xi, C, w, wpc, step, m,
                        t0 == int.MinValue ? int.MaxValue : -t0, t1 == int.MinValue ? int.MaxValue : -t1, t2 == int.MinValue ? int.MaxValue : -t2);
                }
                else Positive2(input, planes, n, xi, C, w, wpc, step, m, T[tb], T[tb + 1], T[tb + 2]);
            }
        }

        // Explicit planes[o] = planes[o] | m: ldelem/stelem, where |= would compile to ldelema + ldind + stind.
        private static void Positive1(int[] input, uint[] planes, int n, int xi, int C, int o, int wpc, uint m, int t)
        {
            for (; xi < n; xi += C, o += wpc)
            {
                if (input[xi] >= t) planes[o] = planes[o] | m;
            }
        }

        private static void Negative1(int[] input, uint[] planes, int n, int xi, int C, int o, int wpc, uint m, int u)
        {
            for (; xi < n; xi += C, o += wpc)
            {
                if (input[xi] <= u) planes[o] = planes[o] | m;
            }
        }

        private static void Positive2(int[] input, uint[] planes, int n, int xi, int C, int o, int wpc, int step, uint m, int t0, int t1, int t2)
        {
            for (; xi < n; xi += C, o += step)
            {
                int x = input[xi];
                if (x >= t1)
                {
                    int o1 = o + wpc;
                    planes[o1] = planes[o1] | m;                        // j ≥ 2
                    if (x >= t2) planes[o] = planes[o] | m;             // j = 3
                }
                else if (x >= t0) planes[o] = planes[o] | m;            // j = 1
            }
        }

        private static void Negative2(int[] input, uint[] planes, int n, int xi, int C, int o, int wpc, int step, uint m, int u0, int u1, int u2)
        {
            for (; xi < n; xi += C, o += step)
            {
                int x = input[xi];
                if (x <= u1)
                {
                    int o1 = o + wpc;
                    planes[o1] = planes[o1] | m;                        // j ≥ 2
                    if (x <= u2) planes[o] = planes[o] | m;             // j = 3
                }
                else if (x <= u0) planes[o] = planes[o] | m;            // j = 1
            }
        }

        private static void Shared2(int[] input, int xi, uint[] planes, int pw, int pixels, int C, int wpc, int t0, int t1, int t2)
        {
            for (int px = 0; px < pixels; px++, pw += 2 * wpc)
            {
                for (int w = 0, c0 = 0; w < wpc; w++, c0 += 32)
                {
                    int end = xi + (c0 + 32 < C ? 32 : C - c0);
                    uint p0 = 0, p1 = 0, m = 1;
                    for (; xi < end; xi++, m <<= 1)
                    {
                        int x = input[xi];
                        if (x >= t1)
                        {
                            p1 |= m;                 // j ≥ 2
                            if (x >= t2) p0 |= m;    // j = 3
                        }
                        else if (x >= t0) p0 |= m;   // j = 1
                    }
                    planes[pw + w] = p0;
                    planes[pw + wpc + w] = p1;
                }
            }
        }
    }
}
