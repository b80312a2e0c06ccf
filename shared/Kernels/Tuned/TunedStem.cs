using OneBit.Runtime.Model;

namespace OneBit.Runtime.Kernels.Tuned
{
    /// <summary>
    /// The stem (CONTRACT.md §5) tuned for an IL interpreter, bit-exact with <see cref="Reference.StemConvReference"/>.
    ///
    /// Σ_c (A_c·P[o,c] + B_c·Q[o,c]) = Σ_c Σ_valid taps w·(A_c·u) + Σ_c B_c·Q[o,c]: the first term is a ±1-weighted
    /// sum of the k²·Cin values v = A_c·u (invalid taps: v = 0), the second depends only on o and on which taps are
    /// valid, so it is tabled per border class and output channel when a layer is prepared.
    ///
    /// The ±1 sum is done with sign-pattern tables, shared by all output channels of a pixel: the values are grouped by
    /// kernel row and input channel (k values per group); per output pixel each group's 2^k signed sums
    /// (±v0 ±v1 ±v2) are computed once (8 for k = 3), and each output channel adds one table entry per group, chosen by
    /// its k weight bits (the entry index is precomputed). For a 3×3 RGB stem that is 9 loads and adds per output
    /// channel instead of 27 multiply-accumulates. All sums are 64-bit, as in the reference, so nothing can overflow.
    /// For 3×3 stems the sums depend only on (input row, output column, channel), so they live in a ring of 3 input rows
    /// (each row computed once, used by 3 output rows), and the output loop runs channel-outer so that a channel's 9
    /// table offsets stay in locals along the row.
    ///
    /// Memory per stem: the entry-index tables (2·Cout·k·Cin ints), the border table (classes·Cout longs) and, for 3×3,
    /// the row ring (4·W·Cin·8 longs: 24.6 KB for 32×32 RGB); all sized when the layer is prepared (constructor, or the
    /// first Run of a layer it has not seen). Run never allocates. Not thread-safe: one instance per runner.
    ///
    /// <para>Row mode (the streaming runner on a small heap): the row-range Run computes each output pixel's group sums
    /// on the spot (k²·Cin values, 2^k sums per group) instead of keeping the ring; an instance made for row mode never
    /// allocates the ring (<see cref="RowPlanBytes"/>: about 2.6 KB for a 32×32 RGB stem of 16 channels).</para>
    /// </summary>
    public sealed class TunedStem
    {
        private StemLayer _layer;
        private int[] _entry;        // [o·G + g] = g·2^k + pattern of o's weight bits in group g
        private long[] _border;      // [(rowClass·colClasses + colClass)·Cout + o] = Σ_c B_c·Q[o,c]
        private int[] _rowClass;
        private int[] _colClass;
        private int _colClasses;
        private long[] _values;                  // [g·k + kx] = A_c·u, 0 for invalid taps
        private long[] _sums;                    // [g·2^k + pattern]
        private int[] _rowEntry;                 // k = 3: [(o·Cin + c)·3 + ky] = c·8 + pattern
        private long[] _ring;                    // k = 3: [slot][ox][c][pattern], slot 3 = zeros
        private int[] _held;                     // k = 3: input row held by each ring slot
        private int[] _borderRow;                // per output row: border-table offset of each column
        private readonly bool _rowsOnly;

        public TunedStem()
        {
        }

        /// <summary>Prepares the network's stem now; <paramref name="rowsOnly"/>: for row-range runs only (no row ring; see
        /// the class comment).</summary>
        public TunedStem(Network network, bool rowsOnly)
        {
            _rowsOnly = rowsOnly;
            StemLayer stem = StemOf(network);
            if (stem != null) Prepare(stem);
        }

        private static StemLayer StemOf(Network network)
        {
            Layer[] layers = network.Layers;
            for (int i = 0; i < layers.Length; i++)
            {
                StemLayer stem = layers[i] as StemLayer;
                if (stem != null) return stem;
            }
            return null;
        }

        /// <summary>Heap bytes a row-mode instance allocates for the network's stem (array payloads only; 0: no stem).</summary>
        public static long RowPlanBytes(Network network)
        {
            StemLayer L = StemOf(network);
            if (L == null) return 0;
            int k = L.KernelSize, cin = L.InChannels, cout = L.OutChannels, groups = k * cin, patterns = 1 << k;
            int rows, cols;
            int[] masks;
            Classes(L.Height, L.PadTop, k, out masks, out rows);
            Classes(L.Width, L.PadLeft, k, out masks, out cols);
            return 4L * cout * groups + 8L * rows * cols * cout + 4L * (L.Height + L.Width) + 4L * L.Width
                + 8L * groups * k + 8L * groups * patterns;
        }

        /// <summary>Prepares the network's stem now (a network has at most one).</summary>
        public TunedStem(Network network) : this(network, false)
        {
        }

        /// <summary>Heap bytes the constructor allocates for the network's stem (array payloads only): the row-mode
        /// tables plus, for 3×3, the row ring and its entry table.</summary>
        public static long PlanBytes(Network network)
        {
            StemLayer L = StemOf(network);
            if (L == null || L.KernelSize != 3) return RowPlanBytes(network);
            return RowPlanBytes(network) + 4L * L.OutChannels * L.InChannels * 3 + 8L * 4 * L.Width * L.InChannels * 8;
        }

        public void Run(StemLayer L, byte[] pixels, int[] stream)
        {
            if (L != _layer) Prepare(L);
            int cout = L.OutChannels, H = L.Height, W = L.Width;
            if (L.KernelSize == 3 && _ring != null)
            {
                RunRows(L, pixels, stream);
                return;
            }

            for (int oy = 0; oy < H; oy++)
            {
                for (int ox = 0; ox < W; ox++) Pixel(L, pixels, oy, ox, stream, (oy * W + ox) * cout);
            }
        }

        /// <summary>
        /// Output rows [oyStart, oyEnd) into a ring of stream rows (row oy at slot oy % outRows, HWC within a row), each
        /// pixel computed on its own (no row ring): what the streaming runner calls, one row at a time.
        /// </summary>
        public void Run(StemLayer L, byte[] pixels, int[] stream, int outRows, int oyStart, int oyEnd)
        {
            if (L != _layer) Prepare(L);
            int W = L.Width, cout = L.OutChannels;
            for (int oy = oyStart; oy < oyEnd; oy++)
            {
                int rowBase = (oy % outRows) * W * cout;
                for (int ox = 0; ox < W; ox++) Pixel(L, pixels, oy, ox, stream, rowBase + ox * cout);
            }
        }

        /// <summary>The Cout outputs of pixel (oy, ox) from the group sums of its window, written from stream[outBase] on.</summary>
        private void Pixel(StemLayer L, byte[] pixels, int oy, int ox, int[] stream, int outBase)
        {
            int k = L.KernelSize, cin = L.InChannels, cout = L.OutChannels, H = L.Height, W = L.Width;
            int padTop = L.PadTop, padLeft = L.PadLeft, shift = L.Shift;
            int groups = k * cin, patterns = 1 << k;
            long half = shift == 0 ? 0 : 1L << (shift - 1);
            int[] entry = _entry, pixelScale = L.PixelScale;
            long[] border = _border, values = _values, sums = _sums;
            int groups3 = groups - groups % 3;

            // Scaled input values of the window, grouped by (ky, c), k taps per group.
            for (int ky = 0, g = 0; ky < k; ky++)
            {
                int iy = oy - padTop + ky;
                bool rowValid = iy >= 0 && iy < H;
                for (int c = 0; c < cin; c++, g++)
                {
                    long a = pixelScale[c];
                    for (int kx = 0, vi = g * k; kx < k; kx++, vi++)
                    {
                        int ix = ox - padLeft + kx;
                        values[vi] = rowValid && ix >= 0 && ix < W ? a * pixels[(iy * W + ix) * cin + c] : 0;
                    }
                }
            }

            // Signed sums of every group under every weight pattern (bit kx set = weight +1).
            if (k == 3)
            {
                for (int g = 0, vi = 0, si = 0; g < groups; g++, vi += 3, si += 8)
                {
                    long v0 = values[vi], v1 = values[vi + 1], v2 = values[vi + 2];
                    long all = v0 + v1 + v2, d0 = v0 + v0, d1 = v1 + v1;
                    long s6 = all - d0, s3 = all - v2 - v2;
                    sums[si + 7] = all;           // + + +   (bit kx set: weight of tap kx is +1)
                    sums[si + 6] = s6;            // − + +
                    sums[si + 5] = all - d1;      // + − +
                    sums[si + 4] = s6 - d1;       // − − +
                    sums[si + 3] = s3;            // + + −
                    sums[si + 2] = s3 - d0;       // − + −
                    sums[si + 1] = s3 - d1;       // + − −
                    sums[si] = -all;
                }
            }
            else
            {
                for (int g = 0, si = 0; g < groups; g++)
                {
                    for (int pat = 0; pat < patterns; pat++, si++)
                    {
                        long s = 0;
                        for (int kx = 0; kx < k; kx++)
                        {
                            long v = values[g * k + kx];
                            s += ((pat >> kx) & 1) != 0 ? v : -v;
                        }
                        sums[si] = s;
                    }
                }
            }

            int cb = (_rowClass[oy] * _colClasses + _colClass[ox]) * cout;
            for (int o = 0, e = 0; o < cout; o++)
            {
                long total = border[cb + o];
                int end3 = e + groups3, end = e + groups;
                for (; e < end3; e += 3)
                {
                    total += sums[entry[e]] + sums[entry[e + 1]] + sums[entry[e + 2]];
                }
                for (; e < end; e++) total += sums[entry[e]];
                stream[outBase + o] = (int)((total + half) >> shift);
            }
        }

        /// <summary>
        /// 3×3 stems: the 8 signed sums of a group depend only on the input row, the output column and the channel, not
        /// on the kernel row, so they are computed once per input row into a ring of 3 rows (plus a zero row for rows
        /// outside the image) and shared by the 3 output rows that use it.
        /// </summary>
        private void RunRows(StemLayer L, byte[] pixels, int[] stream)
        {
            int cin = L.InChannels, cout = L.OutChannels, H = L.Height, W = L.Width;
            int padTop = L.PadTop, padLeft = L.PadLeft, shift = L.Shift;
            long half = shift == 0 ? 0 : 1L << (shift - 1);
            int[] entry = _rowEntry, pixelScale = L.PixelScale, rowClass = _rowClass, colClass = _colClass;
            long[] border = _border, ring = _ring;
            int colClasses = _colClasses, rowLen = W * cin * 8, zeroBase = 3 * rowLen, pixLen = cin * 8;
            int[] held = _held;
            held[0] = held[1] = held[2] = -1;

            for (int oy = 0; oy < H; oy++)
            {
                int rowCls = rowClass[oy] * colClasses;
                int base0 = 0, base1 = 0, base2 = 0;
                for (int ky = 0; ky < 3; ky++)
                {
                    int iy = oy - padTop + ky, b = zeroBase;
                    if (iy >= 0 && iy < H)
                    {
                        int slot = iy % 3;
                        b = slot * rowLen;
                        if (held[slot] != iy)
                        {
                            held[slot] = iy;
                            int rowPix = iy * W;
                            for (int ox = 0, si = b; ox < W; ox++)
                            {
                                int x0 = ox - padLeft;
                                for (int c = 0; c < cin; c++, si += 8)
                                {
                                    long a = pixelScale[c];
                                    long v0 = x0 >= 0 && x0 < W ? a * pixels[(rowPix + x0) * cin + c] : 0;
                                    long v1 = x0 + 1 >= 0 && x0 + 1 < W ? a * pixels[(rowPix + x0 + 1) * cin + c] : 0;
                                    long v2 = x0 + 2 >= 0 && x0 + 2 < W ? a * pixels[(rowPix + x0 + 2) * cin + c] : 0;
                                    long all = v0 + v1 + v2, d0 = v0 + v0, d1 = v1 + v1;
                                    long s6 = all - d0, s3 = all - v2 - v2;
                                    ring[si + 7] = all;           // + + +   (bit kx set: weight of tap kx is +1)
                                    ring[si + 6] = s6;            // − + +
                                    ring[si + 5] = all - d1;      // + − +
                                    ring[si + 4] = s6 - d1;       // − − +
                                    ring[si + 3] = s3;            // + + −
                                    ring[si + 2] = s3 - d0;       // − + −
                                    ring[si + 1] = s3 - d1;       // + − −
                                    ring[si] = -all;
                                }
                            }
                        }
                    }
                    if (ky == 0) base0 = b;
                    else if (ky == 1) base1 = b;
                    else base2 = b;
                }

                if (cin == 3)
                {
                    // Output channel outer, column inner: the 9 table offsets of o stay in locals for the whole row.
                    int[] borderRow = _borderRow;
                    for (int ox = 0; ox < W; ox++) borderRow[ox] = (rowCls + colClass[ox]) * cout;
                    for (int o = 0, e = 0, rowOut = oy * W * cout; o < cout; o++, e += 9)
                    {
                        int f0 = base0 + entry[e], f1 = base1 + entry[e + 1], f2 = base2 + entry[e + 2];
                        int f3 = base0 + entry[e + 3], f4 = base1 + entry[e + 4], f5 = base2 + entry[e + 5];
                        int f6 = base0 + entry[e + 6], f7 = base1 + entry[e + 7], f8 = base2 + entry[e + 8];
                        for (int ox = 0, b = 0, si = rowOut + o; ox < W; ox++, b += pixLen, si += cout)
                        {
                            long total = border[borderRow[ox] + o]
                                + ring[f0 + b] + ring[f1 + b] + ring[f2 + b]
                                + ring[f3 + b] + ring[f4 + b] + ring[f5 + b]
                                + ring[f6 + b] + ring[f7 + b] + ring[f8 + b];
                            stream[si] = (int)((total + half) >> shift);
                        }
                    }
                    continue;
                }

                for (int ox = 0, outBase = oy * W * cout; ox < W; ox++)
                {
                    int b0 = base0 + ox * pixLen, b1 = base1 + ox * pixLen, b2 = base2 + ox * pixLen;
                    int cb = (rowCls + colClass[ox]) * cout;
                    if (cin == 3)
                    {
                        for (int o = 0, e = 0; o < cout; o++, e += 9)
                        {
                            long total = border[cb + o]
                                + ring[b0 + entry[e]] + ring[b1 + entry[e + 1]] + ring[b2 + entry[e + 2]]
                                + ring[b0 + entry[e + 3]] + ring[b1 + entry[e + 4]] + ring[b2 + entry[e + 5]]
                                + ring[b0 + entry[e + 6]] + ring[b1 + entry[e + 7]] + ring[b2 + entry[e + 8]];
                            stream[outBase++] = (int)((total + half) >> shift);
                        }
                        continue;
                    }
                    for (int o = 0, e = 0; o < cout; o++)
                    {
                        long total = border[cb + o];
                        for (int c = 0; c < cin; c++, e += 3)
                        {
                            total += ring[b0 + entry[e]] + ring[b1 + entry[e + 1]] + ring[b2 + entry[e + 2]];
                        }
                        stream[outBase++] = (int)((total + half) >> shift);
                    }
                }
            }
        }

        private void Prepare(StemLayer L)
        {
            int k = L.KernelSize, cin = L.InChannels, cout = L.OutChannels, wpc = L.WordsPerTap;
            int groups = k * cin, patterns = 1 << k;
            _entry = new int[cout * groups];
            _rowEntry = k == 3 && !_rowsOnly ? new int[cout * cin * 3] : null;
            _ring = k == 3 && !_rowsOnly ? new long[4 * L.Width * cin * 8] : null;   // 3 row slots + 1 zero row
            if (_ring != null && _held == null) _held = new int[3];
            _borderRow = new int[L.Width];
            for (int o = 0; o < cout; o++)
            {
                for (int ky = 0; ky < k; ky++)
                {
                    for (int c = 0; c < cin; c++)
                    {
                        int g = ky * cin + c, pat = 0;
                        for (int kx = 0; kx < k; kx++)
                        {
                            if (BitConvention.GetBit(L.Weights, ((o * k + ky) * k + kx) * wpc, c)) pat |= 1 << kx;
                        }
                        _entry[o * groups + g] = g * patterns + pat;
                        if (_rowEntry != null) _rowEntry[(o * cin + c) * 3 + ky] = c * 8 + pat;
                    }
                }
            }

            int[] rowMasks, colMasks;
            int rowClasses;
            _rowClass = Classes(L.Height, L.PadTop, k, out rowMasks, out rowClasses);
            _colClass = Classes(L.Width, L.PadLeft, k, out colMasks, out _colClasses);
            _border = new long[rowClasses * _colClasses * cout];
            for (int rc = 0; rc < rowClasses; rc++)
            {
                for (int cc = 0; cc < _colClasses; cc++)
                {
                    for (int o = 0; o < cout; o++)
                    {
                        long t = 0;
                        for (int c = 0; c < cin; c++)
                        {
                            long q = 0;
                            for (int ky = 0; ky < k; ky++)
                            {
                                if ((rowMasks[rc] & (1 << ky)) == 0) continue;
                                for (int kx = 0; kx < k; kx++)
                                {
                                    if ((colMasks[cc] & (1 << kx)) != 0) q += BitConvention.WeightSign(L.Weights, ((o * k + ky) * k + kx) * wpc, c);
                                }
                            }
                            t += (long)L.WeightSumScale[c] * q;
                        }
                        _border[(rc * _colClasses + cc) * cout + o] = t;
                    }
                }
            }
            if (_values == null || _values.Length < groups * k) _values = new long[groups * k];
            if (_sums == null || _sums.Length < groups * patterns) _sums = new long[groups * patterns];
            _layer = L;
        }

        private static int[] Classes(int size, int pad, int k, out int[] masks, out int count)
        {
            int[] cls = new int[size];
            int[] found = new int[1 << k];
            count = 0;
            for (int o = 0; o < size; o++)
            {
                int mask = 0;
                for (int t = 0; t < k; t++)
                {
                    int i = o - pad + t;
                    if (i >= 0 && i < size) mask |= 1 << t;
                }
                int c = 0;
                while (c < count && found[c] != mask) c++;
                if (c == count) found[count++] = mask;
                cls[o] = c;
            }
            masks = found;
            return cls;
        }
    }
}
