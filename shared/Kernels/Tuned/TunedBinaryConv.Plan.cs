using OneBit.Runtime.Model;

namespace OneBit.Runtime.Kernels.Tuned
{
    public sealed partial class TunedBinaryConv
    {
        /// <summary>Everything about one layer that does not depend on the frame.</summary>
        private sealed class ConvPlan
        {
            public int Words;          // n: 64-bit words per output channel and bit-plane
            public int Dot;            // the dot path, one of the Dot… constants
            public int FastGather;     // 16, 32 or 64: 3×3 taps of that many bits, interior windows assembled directly
            public ulong[] Lanes;      // 3×3, 9–16 channels, Cout % 4 == 0: [o/4] tap-8 weights of 4 outputs in 16-bit lanes
            public ulong[] Weights;    // [o][n], compact layout
            public int[] DstWord;      // [tap·wpc + w] → patch word of input word w of the tap
            public int[] DstShift;     // [tap·wpc + w] → bit shift within that word
            public short[] RowClass;   // [oy] → index of the row-validity pattern
            public short[] ColClass;   // [ox] → index of the column-validity pattern
            public int ColClasses;
            public int InteriorColumns; // output columns whose window lies inside the image horizontally (path counters)
            public short[] Correction; // [(rowClass·ColClasses + colClass)·Cout + o] = −z·T3; zeros [Cout] when WideCorrection is set
            public int[] WideCorrection; // the same table where −z·T3 can exceed 16 bits (see FitsInt16), else null

            // Dot paths (Run's switch): straight-line code for the common patch lengths, loops for the rest.
            public const int Dot3Lanes = 0, Dot3OneBit = 1, Dot3TwoBits = 2, Dot3Planes = 3, Dot5OneBit = 4, Dot5TwoBits = 5,
                Dot9OneBit = 6, Dot9TwoBits = 7, DotShort = 8, DotLong = 9;

            /// <param name="zeros">Zeros at least as long as OutHeight, OutWidth and OutChannels to share as a z = 0
            /// layer's class and correction tables, or null.</param>
            /// <param name="sameTaps">An earlier plan with the same kernel size and input channels, whose tap map
            /// (DstWord, DstShift) this plan shares, or null.</param>
            public static ConvPlan Make(ConvLayer L, short[] zeros, ConvPlan sameTaps)
            {
                int k = L.KernelSize, taps = k * k, wpc = L.WordsPerTap, cout = L.OutChannels, cin = L.InChannels;
                int slot = SlotBits(cin);
                ConvPlan P = new ConvPlan();
                P.Words = CompactWords(k, cin);
                if (P.Words < 3) P.Words = 3;   // 1 or 2 words: zero-padded to the straight-line 3-word path
                if (k == 3 && (slot == 16 || slot == 32 || slot == 64)) P.FastGather = slot;
                if (sameTaps != null)
                {
                    P.DstWord = sameTaps.DstWord;
                    P.DstShift = sameTaps.DstShift;
                }
                else
                {
                    P.DstWord = new int[taps * wpc];
                    P.DstShift = new int[taps * wpc];
                    for (int t = 0; t < taps; t++)
                    {
                        for (int w = 0; w < wpc; w++)
                        {
                            int bit = slot <= 32 ? t * slot : (t * wpc + w) * 32;
                            P.DstWord[t * wpc + w] = bit >> 6;
                            P.DstShift[t * wpc + w] = bit & 63;
                        }
                    }
                }

                int n = P.Words;
                P.Weights = new ulong[cout * n];
                int rowClasses;
                int[] rowMasks = null, colMasks = null;
                if (L.ZeroCode == 0 && zeros != null && zeros.Length >= L.OutHeight && zeros.Length >= L.OutWidth && zeros.Length >= cout)
                {
                    // z = 0: one class everywhere and a zero correction, so the shared zeros serve as all three tables.
                    rowClasses = 1;
                    P.ColClasses = 1;
                    P.RowClass = zeros;
                    P.ColClass = zeros;
                    P.Correction = zeros;
                }
                else
                {
                    P.RowClass = Classes(L.OutHeight, L.Stride, L.PadTop, L.InHeight, k, L.ZeroCode, out rowMasks, out rowClasses);
                    P.ColClass = Classes(L.OutWidth, L.Stride, L.PadLeft, L.InWidth, k, L.ZeroCode, out colMasks, out P.ColClasses);
                    if (FitsInt16(L)) P.Correction = new short[rowClasses * P.ColClasses * cout];
                    else
                    {
                        P.Correction = new short[cout];
                        P.WideCorrection = new int[rowClasses * P.ColClasses * cout];
                    }
                }
                // Σ(2·popcount − Cin) per tap of one output channel feeds only the border table, which z = 0 does not
                // need; one channel at a time, so planning allocates no more than the plan itself.
                int[] tapSums = L.ZeroCode != 0 ? new int[taps] : null;
                for (int o = 0; o < cout; o++)
                {
                    for (int t = 0; t < taps; t++)
                    {
                        int ones = 0;
                        for (int w = 0; w < wpc; w++)
                        {
                            uint v = L.Weights[(o * taps + t) * wpc + w];
                            ones += BitConvention.PopCount(v);
                            P.Weights[o * n + P.DstWord[t * wpc + w]] |= (ulong)v << P.DstShift[t * wpc + w];
                        }
                        if (tapSums != null) tapSums[t] = 2 * ones - cin;
                    }
                    if (tapSums == null) continue;
                    for (int rc = 0; rc < rowClasses; rc++)
                    {
                        for (int cc = 0; cc < P.ColClasses; cc++)
                        {
                            int t3 = 0;
                            for (int ky = 0; ky < k; ky++)
                            {
                                if ((rowMasks[rc] & (1 << ky)) == 0) continue;
                                for (int kx = 0; kx < k; kx++)
                                {
                                    if ((colMasks[cc] & (1 << kx)) != 0) t3 += tapSums[ky * k + kx];
                                }
                            }
                            int at = (rc * P.ColClasses + cc) * cout + o;
                            if (P.WideCorrection != null) P.WideCorrection[at] = -L.ZeroCode * t3;
                            else P.Correction[at] = (short)(-L.ZeroCode * t3);
                        }
                    }
                }

                if (P.FastGather == 16 && n == 3 && cout % 4 == 0)
                {
                    P.Lanes = new ulong[cout / 4];
                    for (int o = 0; o < cout; o++) P.Lanes[o >> 2] |= P.Weights[o * n + 2] << (16 * (o & 3));
                }
                P.Dot = DotFor(n, L.Bits, P.Lanes != null);
                for (int ox = 0; ox < L.OutWidth; ox++)
                {
                    int ix0 = ox * L.Stride - L.PadLeft;
                    if (ix0 >= 0 && ix0 + k <= L.InWidth) P.InteriorColumns++;
                }
                return P;
            }

            private static int DotFor(int n, int bits, bool lanes)
            {
                if (n == 3) return bits == 1 ? (lanes ? Dot3Lanes : Dot3OneBit) : bits == 2 ? Dot3TwoBits : Dot3Planes;
                if (n == 5 && bits <= 2) return bits == 1 ? Dot5OneBit : Dot5TwoBits;
                if (n == 9 && bits <= 2) return bits == 1 ? Dot9OneBit : Dot9TwoBits;
                return n <= 30 ? DotShort : DotLong;
            }

            /// <summary>
            /// Whether every −z·T3 of <paramref name="L"/> fits 16 bits, bounded by |T3| ≤ k²·Cin whatever the weights: the
            /// table is then half the size (ldelem.i2 costs nanoCLR what ldelem.i4 does). Every 2-bit layer up to 1,213
            /// input channels fits (z = 3); 8-bit layers with z = 255 beyond 14 channels take the int table and one more
            /// pass over each pixel's outputs.
            /// </summary>
            internal static bool FitsInt16(ConvLayer L)
            {
                return (long)L.ZeroCode * L.KernelSize * L.KernelSize * L.InChannels <= short.MaxValue;
            }

            /// <summary>Validity mask of the window along one axis for every output position, numbered by distinct mask.
            /// With z = 0 the correction −z·T3 vanishes for every class, so all positions share one class: the table
            /// shrinks to one zero row (folded batch-norm models with ReLU levels, where it would be the largest part
            /// of the plan after the weights).</summary>
            internal static short[] Classes(int outSize, int stride, int pad, int inSize, int k, int zeroCode, out int[] masks, out int count)
            {
                short[] cls = new short[outSize];
                int[] found = new int[1 << k];
                count = 0;
                if (zeroCode == 0)
                {
                    count = 1;
                    masks = found;
                    return cls;
                }
                for (int o = 0; o < outSize; o++)
                {
                    int mask = 0;
                    for (int t = 0; t < k; t++)
                    {
                        int i = o * stride - pad + t;
                        if (i >= 0 && i < inSize) mask |= 1 << t;
                    }
                    int c = 0;
                    while (c < count && found[c] != mask) c++;
                    if (c == count) found[count++] = mask;
                    cls[o] = (short)c;
                }
                masks = found;
                return cls;
            }
        }
    }
}
