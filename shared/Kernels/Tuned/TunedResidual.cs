using OneBit.Runtime.Model;

namespace OneBit.Runtime.Kernels.Tuned
{
    /// <summary>
    /// Residual block end (CONTRACT.md §5) tuned for an IL interpreter, bit-exact with
    /// <see cref="Reference.ResidualReference"/>:
    /// S'[y,x,o] = shortcut(S)[y,x,o] + RoundShift(acc·M_o, shift), written in one pass with no method calls.
    /// The average-pool window of each output pixel (bounds and valid-cell count n) is found once per pixel, not per
    /// channel. The whole frame (NetworkRunner) is the row-range call over rings of the tensors' heights; the streaming
    /// runner calls the row range over its rings one row at a time (ring addressing as in ResidualReference: stream
    /// row iy at slot iy % inRows, accumulator and output row oy at slots oy % accRows and oy % outRows; the pool
    /// window's rows are located once per output row). Stateless; never allocates.
    ///
    /// <para>The 16-bit ring overload (TunedResidual.Int16.g.cs) is generated from the int32 row-range Run below by
    /// tests/OneBit.Runtime.Tests/Generated/KernelSourceGenerator.cs (see shared/README.md): nanoFramework has no
    /// generics over element types, and an accessor call per element would double the interpreted cost of this loop.
    /// Edit the int32 Run, then regenerate.</para>
    /// </summary>
    public static partial class TunedResidual
    {
        /// <summary>The specialised paths, for the path-hit counters (<see cref="KernelPaths"/>); the sweeps must run each.</summary>
        public static class Paths
        {
            public const string Int32IdentityShared = "TunedResidual.Int32IdentityShared";
            public const string Int32IdentityPerChannel = "TunedResidual.Int32IdentityPerChannel";
            public const string Int32PoolInterior = "TunedResidual.Int32PoolInterior";
            public const string Int32PoolBorder = "TunedResidual.Int32PoolBorder";
            public const string Int16IdentityShared = "TunedResidual.Int16IdentityShared";
            public const string Int16IdentityPerChannel = "TunedResidual.Int16IdentityPerChannel";
            public const string Int16PoolInterior = "TunedResidual.Int16PoolInterior";
            public const string Int16PoolBorder = "TunedResidual.Int16PoolBorder";
        }

        /// <summary>Whether output row <paramref name="oy"/> of a pool shortcut has windows of all nine cells
        /// (<paramref name="interior"/>) or windows clipped by the border (for the path counters).</summary>
        private static bool PoolRowHas(ResidualLayer L, int oy, bool interior)
        {
            int y0 = oy * 2 - L.PadTop;
            bool fullRows = y0 >= 0 && y0 + 3 <= L.InHeight;
            for (int ox = 0; ox < L.OutWidth; ox++)
            {
                int x0 = ox * 2 - L.PadLeft;
                if ((fullRows && x0 >= 0 && x0 + 3 <= L.InWidth) == interior) return true;
            }
            return false;
        }

        /// <param name="streamIn">S (InHeight×InWidth×InChannels).</param>
        /// <param name="acc">The block's second conv accumulator (OutHeight×OutWidth×OutChannels).</param>
        /// <param name="streamOut">Receives S' (a different buffer from <paramref name="streamIn"/>).</param>
        public static void Run(ResidualLayer L, int[] streamIn, int[] acc, int[] streamOut)
        {
            Run(L, streamIn, L.InHeight, acc, L.OutHeight, streamOut, L.OutHeight, 0, L.OutHeight);
        }

        // KernelSourceGenerator: begin int32 Run
        /// <summary>Output rows [oyStart, oyEnd) over ring buffers, with the semantics of ResidualReference's row-range Run.</summary>
        public static void Run(ResidualLayer L, int[] streamIn, int inRows, int[] acc, int accRows,
            int[] streamOut, int outRows, int oyStart, int oyEnd)
        {
            int cin = L.InChannels, cout = L.OutChannels, outW = L.OutWidth;
            int shift = L.Shift;
            long half = shift == 0 ? 0 : 1L << (shift - 1);
            int[] M = L.Multipliers;
            bool perChannel = M.Length > 1;
            long m0 = M[0];
            int copy = cin < cout ? cin : cout;
            int outRow = outW * cout;

            if (L.Shortcut == ResidualLayer.Identity)
            {
                KernelPaths.Hit(perChannel ? Paths.Int32IdentityPerChannel : Paths.Int32IdentityShared);
                int inRow = L.InWidth * cin;
                for (int oy = oyStart; oy < oyEnd; oy++)
                {
                    // i: accumulator index; i + d: the same element of the output row.
                    int i = (oy % accRows) * outRow, d = (oy % outRows) * outRow - i, sRow = (oy % inRows) * inRow;
                    for (int ox = 0; ox < outW; ox++)
                    {
                        int s = sRow + ox * cin;
                        int end = i + copy;
                        if (perChannel)
                        {
                            for (int c = 0; i < end; i++, s++, c++) streamOut[i + d] = (int)(streamIn[s] + ((acc[i] * (long)M[c] + half) >> shift));
                            for (int c = copy; c < cout; c++, i++) streamOut[i + d] = (int)((acc[i] * (long)M[c] + half) >> shift);
                        }
                        else
                        {
                            for (; i < end; i++, s++) streamOut[i + d] = (int)(streamIn[s] + ((acc[i] * m0 + half) >> shift));
                            for (int c = copy; c < cout; c++, i++) streamOut[i + d] = (int)((acc[i] * m0 + half) >> shift);
                        }
                    }
                }
                return;
            }

            // 3×3 stride-2 average pool over the valid cells, divisor = their count, round half up (RoundDiv).
            int inH = L.InHeight, inWidth = L.InWidth, padTop = L.PadTop, padLeft = L.PadLeft;
            int rowStride = inWidth * cin;
            for (int oy = oyStart; oy < oyEnd; oy++)
            {
                int y0 = oy * 2 - padTop, y1 = y0 + 3;
                if (y0 < 0) y0 = 0;
                if (y1 > inH) y1 = inH;
                int i = (oy % accRows) * outRow, d = (oy % outRows) * outRow - i;
                KernelPaths.HitIf(PoolRowHas(L, oy, true), Paths.Int32PoolInterior);
                KernelPaths.HitIf(PoolRowHas(L, oy, false), Paths.Int32PoolBorder);
                // The window's rows in the stream ring: row y0 at b0, rows y0 + 1 and y0 + 2 at b0 + r1 and b0 + r2.
                int b0 = (y0 % inRows) * rowStride;
                int r1 = y0 + 1 < y1 ? ((y0 + 1) % inRows) * rowStride - b0 : 0;
                int r2 = y0 + 2 < y1 ? ((y0 + 2) % inRows) * rowStride - b0 : 0;
                for (int ox = 0; ox < outW; ox++)
                {
                    int x0 = ox * 2 - padLeft, x1 = x0 + 3;
                    if (x0 < 0) x0 = 0;
                    if (x1 > inWidth) x1 = inWidth;
                    int n = (y1 - y0) * (x1 - x0);
                    long den = 2L * n;
                    int first = b0 + x0 * cin;
                    int rows = y1 - y0, cols = (x1 - x0) * cin;
                    if (n == 9)
                    {
                        // Interior window: the nine cells at fixed offsets, no inner loops.
                        int c1 = cin, c2 = 2 * cin, r1c1 = r1 + c1, r1c2 = r1 + c2;
                        int r2c1 = r2 + c1, r2c2 = r2 + c2;
                        for (int c = 0, q = first; c < copy; c++, i++, q++)
                        {
                            long sum = (long)streamIn[q] + streamIn[q + c1] + streamIn[q + c2]
                                + streamIn[q + r1] + streamIn[q + r1c1] + streamIn[q + r1c2]
                                + streamIn[q + r2] + streamIn[q + r2c1] + streamIn[q + r2c2];
                            long num = 2 * sum + 9;
                            long v = num / 18;
                            if (num < 0 && v * 18 != num) v--;
                            long m = perChannel ? M[c] : m0;
                            streamOut[i + d] = (int)((int)v + ((acc[i] * m + half) >> shift));
                        }
                        // The zero channels appended by the shortcut: only the residual term.
                        if (perChannel)
                        {
                            for (int c = copy; c < cout; c++, i++) streamOut[i + d] = (int)((acc[i] * (long)M[c] + half) >> shift);
                        }
                        else
                        {
                            for (int end = i + cout - copy; i < end; i++) streamOut[i + d] = (int)((acc[i] * m0 + half) >> shift);
                        }
                        continue;
                    }
                    for (int c = 0; c < cout; c++, i++)
                    {
                        long v = 0;
                        if (c < copy)
                        {
                            long sum = 0;
                            for (int r = 0; r < rows; r++)
                            {
                                int rb = first + c + (r == 0 ? 0 : r == 1 ? r1 : r2);
                                for (int q = rb, qEnd = rb + cols; q < qEnd; q += cin) sum += streamIn[q];
                            }
                            long num = 2 * sum + n;
                            // floor(num / den): C# truncates toward zero, so step down for negative inexact quotients.
                            v = num / den;
                            if (num < 0 && v * den != num) v--;
                        }
                        long m = perChannel ? M[c] : m0;
                        streamOut[i + d] = (int)((int)v + ((acc[i] * m + half) >> shift));
                    }
                }
            }
        }
        // KernelSourceGenerator: end int32 Run
    }
}
