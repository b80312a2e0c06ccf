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
    ///
    /// <para>Files: this one prepares the tables and dispatches; TunedStem.Pixel.cs is the per-pixel path (row mode, and
    /// whole frames of other kernel sizes); TunedStem.RowRing.cs the 3×3 row-ring path.</para>
    /// </summary>
    public sealed partial class TunedStem
    {
        /// <summary>The specialised paths, for the path-hit counters (<see cref="KernelPaths"/>); the sweeps must run each.</summary>
        public static class Paths
        {
            public const string PixelSums3 = "TunedStem.PixelSums3";
            public const string PixelSumsAnyK = "TunedStem.PixelSumsAnyK";
            public const string RingRgb = "TunedStem.RingRgb";
            public const string RingAnyChannels = "TunedStem.RingAnyChannels";
        }

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

            KernelPaths.Hit(L.KernelSize == 3 ? Paths.PixelSums3 : Paths.PixelSumsAnyK);
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
            KernelPaths.Hit(L.KernelSize == 3 ? Paths.PixelSums3 : Paths.PixelSumsAnyK);
            for (int oy = oyStart; oy < oyEnd; oy++)
            {
                int rowBase = (oy % outRows) * W * cout;
                for (int ox = 0; ox < W; ox++) Pixel(L, pixels, oy, ox, stream, rowBase + ox * cout);
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