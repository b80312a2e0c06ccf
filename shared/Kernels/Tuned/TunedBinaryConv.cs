using OneBit.Runtime.Model;

namespace OneBit.Runtime.Kernels.Tuned
{
    /// <summary>
    /// Binary conv tuned for an IL interpreter (nanoCLR: every IL instruction is one dispatch, there is no popcount
    /// instruction, 64-bit logic costs the same dispatch as 32-bit). Bit-exact with <see cref="Reference.BinaryConvReference"/>
    /// (CONTRACT.md §4), through the rearrangement used by the host popcount kernel:
    ///
    ///   acc = 4·T1 − 2·T2 − z·T3
    ///   T1 = Σ_p 2^p · Σ_valid popcount(W ∧ A_p)     (the hot loop, per output channel)
    ///   T2 = Σ_p 2^p · Σ_valid popcount(A_p)         (once per output pixel, shared by all output channels)
    ///   T3 = Σ_valid (2·popcount(W_tap) − Cin)       (border correction; −z·T3 precomputed per border class)
    ///
    /// Per output pixel the valid taps' plane words are gathered once into a zero-filled 64-bit patch in a compact
    /// layout (taps of Cin ≤ 32 channels share 64-bit words in power-of-two slots; wider taps keep their 32-bit
    /// words, two per 64-bit word); weights are repacked into the same layout once per layer. Interior windows of
    /// 3×3 taps of 16, 32 or 64 bits are assembled directly, without bounds checks. The inner loop ANDs 64-bit words
    /// and counts bits with SWAR (Hacker's Delight §5-1), summing three words at the nibble stage and up to thirty at
    /// the byte stage before one multiply folds the bytes. The common shapes (3, 5 or 9 words, 1 bit; 3, 5 or 9 words,
    /// 2 bits) are straight-line code with the patch in locals; for 9–16 channels the ninth tap of four output channels
    /// shares one word (16-bit lanes). Its cost on nanoCLR: device/OneBit.Bench/README.md and host-tools KernelCostModel.
    ///
    /// The border correction needs no per-tap work: every output pixel belongs to a border class (which rows and
    /// which columns of the window are valid), and −z·T3 is tabled per class and output channel when a layer is prepared.
    ///
    /// Memory: a layer plan holds its repacked weights (Cout · words ulongs, about the size of the blob's weights), the
    /// border table (classes · Cout shorts, ints where −z·T3 can exceed 16 bits; one class when z = 0) and two small
    /// index tables; the patch is shared by all layers. Plans are built by the constructor for every conv of the network
    /// (or, for layers it has not seen, on their first Run, which allocates once per such layer). Run itself never
    /// allocates. Not thread-safe: one instance per runner.
    ///
    /// <para>Files: this one plans and dispatches (<see cref="Run"/>: per output pixel one gather, one patch count and
    /// one dot path over all output channels); TunedBinaryConv.Plan.cs builds a layer's plan; .Gather.cs fills the patch
    /// and counts it (T2); .ThreeWords.cs, .FiveWords.cs and .NineWords.cs are the straight-line dot paths for those
    /// patch lengths; .AnyWords.cs the loops for any other length. The paths are chosen per layer (the dot path) or
    /// per pixel (the gather), never inside the per-channel loops.</para>
    /// </summary>
    public sealed partial class TunedBinaryConv : IBinaryConvKernel
    {
        /// <summary>The specialised paths, for the path-hit counters (<see cref="KernelPaths"/>); the sweeps must run each.</summary>
        public static class Paths
        {
            public const string GatherInterior16 = "TunedBinaryConv.GatherInterior16";
            public const string GatherInterior32 = "TunedBinaryConv.GatherInterior32";
            public const string GatherInterior64 = "TunedBinaryConv.GatherInterior64";
            public const string GatherWindowOneWord = "TunedBinaryConv.GatherWindowOneWord";
            public const string GatherWindowWords = "TunedBinaryConv.GatherWindowWords";
            public const string PatchCountShort = "TunedBinaryConv.PatchCountShort";
            public const string PatchCountLong = "TunedBinaryConv.PatchCountLong";
            public const string Dot3Lanes = "TunedBinaryConv.Dot3Lanes";
            public const string Dot3OneBit = "TunedBinaryConv.Dot3OneBit";
            public const string Dot3TwoBits = "TunedBinaryConv.Dot3TwoBits";
            public const string Dot3Planes = "TunedBinaryConv.Dot3Planes";
            public const string Dot5OneBit = "TunedBinaryConv.Dot5OneBit";
            public const string Dot5TwoBits = "TunedBinaryConv.Dot5TwoBits";
            public const string Dot9OneBit = "TunedBinaryConv.Dot9OneBit";
            public const string Dot9TwoBits = "TunedBinaryConv.Dot9TwoBits";
            public const string DotShort = "TunedBinaryConv.DotShort";
            public const string DotLong = "TunedBinaryConv.DotLong";
            public const string WideCorrection = "TunedBinaryConv.WideCorrection";
        }

        private const ulong M1 = 0x5555555555555555UL;
        private const ulong M2 = 0x3333333333333333UL;
        private const ulong M4 = 0x0F0F0F0F0F0F0F0FUL;
        private const ulong H01 = 0x0101010101010101UL;
        private const ulong L16 = 0x00FF00FF00FF00FFUL;
        private const ulong H0001 = 0x0001000100010001UL;

        private ConvLayer[] _layers = new ConvLayer[0];
        private ConvPlan[] _plans = new ConvPlan[0];
        private int _count;
        private ulong[] _patch = new ulong[0];
        /// <summary>Zeros shared by every z = 0 plan as its row classes, column classes and correction table (null:
        /// each plan gets its own; single-layer use).</summary>
        private short[] _zeros;

        /// <summary>Plans are made on the first Run of each layer (tests, single layers).</summary>
        public TunedBinaryConv()
        {
        }

        /// <summary>Plans every conv layer of <paramref name="network"/> now and sizes the patch for the largest.</summary>
        public TunedBinaryConv(Network network) : this(network, false)
        {
        }

        /// <param name="takeOverWeights">Drop each conv's blob-layout weights as soon as its plan exists.</param>
        private TunedBinaryConv(Network network, bool takeOverWeights)
        {
            Layer[] layers = network.Layers;
            int convs = 0, zeros = ZerosLength(layers), patch = 0;
            for (int i = 0; i < layers.Length; i++)
            {
                ConvLayer conv = layers[i] as ConvLayer;
                if (conv == null) continue;
                convs++;
                if (PatchWords(conv) > patch) patch = PatchWords(conv);
            }
            // Sized once, so planning leaves no garbage behind on a small heap.
            _layers = new ConvLayer[convs];
            _plans = new ConvPlan[convs];
            _patch = new ulong[patch];
            if (zeros > 0) _zeros = new short[zeros];
            for (int i = 0; i < layers.Length; i++)
            {
                ConvLayer conv = layers[i] as ConvLayer;
                if (conv == null) continue;
                PlanFor(conv);
                if (takeOverWeights && conv.Weights != null)
                {
                    network.ParameterBytes -= 4L * conv.Weights.Length;
                    conv.Weights = null;
                }
            }
        }

        /// <summary>Length of the shared zeros: the longest of OutHeight, OutWidth and OutChannels over z = 0 convs (0: none).</summary>
        private static int ZerosLength(Layer[] layers)
        {
            int max = 0;
            for (int i = 0; i < layers.Length; i++)
            {
                ConvLayer L = layers[i] as ConvLayer;
                if (L == null || L.ZeroCode != 0) continue;
                if (L.OutHeight > max) max = L.OutHeight;
                if (L.OutWidth > max) max = L.OutWidth;
                if (L.OutChannels > max) max = L.OutChannels;
            }
            return max;
        }

        private static int PatchWords(ConvLayer L)
        {
            int n = CompactWords(L.KernelSize, L.InChannels);
            return (n < 3 ? 3 : n) * L.Bits;
        }

        /// <summary>
        /// Plans every conv of <paramref name="network"/> and drops each conv layer's blob-layout weights as soon as its
        /// plan (which holds them in the compact layout) exists: on a 96 KB device heap the weights must not be held
        /// twice, not even while planning (for the accurate CIFAR-10 model they are a third of the budget), so the peak
        /// is the plans plus one layer's weights. Network.ParameterBytes is reduced accordingly. Afterwards the network
        /// runs only through this instance: the reference kernels and the blob writer need the dropped arrays.
        /// </summary>
        public static TunedBinaryConv TakingOverWeights(Network network)
        {
            return new TunedBinaryConv(network, true);
        }

        /// <summary>Bytes of the blob-layout conv weights, the part of Network.ParameterBytes that
        /// <see cref="TakingOverWeights"/> releases.</summary>
        public static long SourceWeightBytes(Network network)
        {
            long bytes = 0;
            Layer[] layers = network.Layers;
            for (int i = 0; i < layers.Length; i++)
            {
                ConvLayer conv = layers[i] as ConvLayer;
                if (conv != null && conv.Weights != null) bytes += 4L * conv.Weights.Length;
            }
            return bytes;
        }

        public string Name { get { return "tuned"; } }

        /// <summary>
        /// Heap bytes the constructor allocates for <paramref name="network"/> (plans of every conv layer and the shared
        /// patch), array payloads only: for a memory budget next to the runner's own buffers.
        /// </summary>
        public static long PlanBytes(Network network)
        {
            Layer[] layers = network.Layers;
            long bytes = 2L * ZerosLength(layers);                    // shared by the z = 0 plans
            int patch = 0;
            for (int i = 0; i < layers.Length; i++)
            {
                ConvLayer L = layers[i] as ConvLayer;
                if (L == null) continue;
                int k = L.KernelSize, n = CompactWords(k, L.InChannels);
                if (n < 3) n = 3;
                bytes += 8L * L.OutChannels * n;                      // repacked weights
                if (SameTapMap(layers, i) < 0) bytes += 8L * k * k * L.WordsPerTap;   // tap → patch word and shift
                if (L.ZeroCode != 0)
                {
                    int rows, cols;
                    int[] masks;
                    ConvPlan.Classes(L.OutHeight, L.Stride, L.PadTop, L.InHeight, k, L.ZeroCode, out masks, out rows);
                    ConvPlan.Classes(L.OutWidth, L.Stride, L.PadLeft, L.InWidth, k, L.ZeroCode, out masks, out cols);
                    bytes += 2L * (L.OutHeight + L.OutWidth);         // border classes
                    bytes += ConvPlan.FitsInt16(L) ? 2L * rows * cols * L.OutChannels   // −z·T3 per class
                        : 4L * rows * cols * L.OutChannels + 2L * L.OutChannels;
                }
                if (k == 3 && SlotBits(L.InChannels) == 16 && L.OutChannels % 4 == 0) bytes += 2L * L.OutChannels;
                if (n * L.Bits > patch) patch = n * L.Bits;
            }
            return bytes + 8L * patch;
        }

        /// <summary>Index of an earlier conv with the same tap map (kernel size and input channels), else −1.</summary>
        private static int SameTapMap(Layer[] layers, int index)
        {
            ConvLayer L = (ConvLayer)layers[index];
            for (int j = 0; j < index; j++)
            {
                ConvLayer e = layers[j] as ConvLayer;
                if (e != null && e.KernelSize == L.KernelSize && e.InChannels == L.InChannels) return j;
            }
            return -1;
        }

        /// <summary>64-bit words one output channel's weights occupy in the compact layout (one bit-plane of the patch).</summary>
        public static int CompactWords(int kernelSize, int inChannels)
        {
            int slot = SlotBits(inChannels);
            int taps = kernelSize * kernelSize;
            return slot <= 32 ? (taps * slot + 63) >> 6 : (taps * (slot >> 5) + 1) >> 1;
        }

        /// <summary>Bits one tap occupies in the compact layout: the next power of two ≥ Cin up to 32, else 32·wpc.</summary>
        public static int SlotBits(int inChannels)
        {
            if (inChannels > 32) return 32 * BitConvention.WordsFor(inChannels);
            int slot = 1;
            while (slot < inChannels) slot <<= 1;
            return slot;
        }


        public void Run(ConvLayer L, uint[] planes, int inRows, int[] acc, int outRows, int oyStart, int oyEnd)
        {
            ConvPlan plan = PlanFor(L);
            ulong[] patch = _patch, weights = plan.Weights, lanes = plan.Lanes;
            int[] dstWord = plan.DstWord, dstShift = plan.DstShift, wide = plan.WideCorrection;
            short[] corr = plan.Correction, rowClass = plan.RowClass, colClass = plan.ColClass;
            int colClasses = plan.ColClasses;
            int k = L.KernelSize, stride = L.Stride, padTop = L.PadTop, padLeft = L.PadLeft;
            int inH = L.InHeight, inW = L.InWidth, outW = L.OutWidth, cout = L.OutChannels;
            int wpc = L.WordsPerTap, bits = L.Bits;
            int n = plan.Words, patchWords = n * bits, pixelWords = bits * wpc, fast = plan.FastGather, dot = plan.Dot;
            KernelPaths.Hit(DotPath(dot));
            KernelPaths.Hit(n <= 30 ? Paths.PatchCountShort : Paths.PatchCountLong);
            KernelPaths.HitIf(wide != null, Paths.WideCorrection);

            for (int oy = oyStart; oy < oyEnd; oy++)
            {
                int iy0 = oy * stride - padTop;
                bool rowInterior = iy0 >= 0 && iy0 + k <= inH;
                int ra = rowInterior ? (iy0 % inRows) * inW : 0;
                int rb = rowInterior ? ((iy0 + 1) % inRows) * inW : 0;
                int rc = rowInterior ? ((iy0 + 2) % inRows) * inW : 0;
                int rowCls = rowClass[oy] * colClasses;
                int outRow = (oy % outRows) * outW;
                KernelPaths.HitIf(fast != 0 && rowInterior && plan.InteriorColumns > 0, GatherPath(fast));
                KernelPaths.HitIf(fast == 0 || !rowInterior || plan.InteriorColumns < outW,
                    pixelWords == 1 ? Paths.GatherWindowOneWord : Paths.GatherWindowWords);
                for (int ox = 0; ox < outW; ox++)
                {
                    int ix0 = ox * stride - padLeft;
                    if (fast != 0 && rowInterior && ix0 >= 0 && ix0 + 3 <= inW)
                    {
                        int a = (ra + ix0) * pixelWords, b = (rb + ix0) * pixelWords, c = (rc + ix0) * pixelWords;
                        if (fast == 16) GatherInterior16(planes, patch, a, b, c, pixelWords, bits, n);
                        else if (fast == 32) GatherInterior32(planes, patch, a, b, c, pixelWords, bits, n);
                        else GatherInterior64(planes, patch, a, b, c, pixelWords, bits, n);
                    }
                    else GatherWindow(planes, inRows, patch, patchWords, iy0, ix0, k, inH, inW, pixelWords, wpc, bits, n, dstWord, dstShift);

                    int bias = -2 * PatchCount(patch, n, bits);
                    int outBase = (outRow + ox) * cout;
                    int cb = (rowCls + colClass[ox]) * cout, wb = cb;
                    if (wide != null) cb = 0;   // the dot adds Correction's zeros; the int table follows below
                    switch (dot)
                    {
                        case ConvPlan.Dot3Lanes: Dot3Lanes(patch, weights, acc, outBase, corr, cb, cout, bias, lanes); break;
                        case ConvPlan.Dot3OneBit: Dot3OneBit(patch, weights, acc, outBase, corr, cb, cout, bias); break;
                        case ConvPlan.Dot3TwoBits: Dot3TwoBits(patch, weights, acc, outBase, corr, cb, cout, bias); break;
                        case ConvPlan.Dot3Planes: Dot3Planes(patch, weights, acc, outBase, corr, cb, cout, bias, bits); break;
                        case ConvPlan.Dot5OneBit: Dot5OneBit(patch, weights, acc, outBase, corr, cb, cout, bias); break;
                        case ConvPlan.Dot5TwoBits: Dot5TwoBits(patch, weights, acc, outBase, corr, cb, cout, bias); break;
                        case ConvPlan.Dot9OneBit: Dot9OneBit(patch, weights, acc, outBase, corr, cb, cout, bias); break;
                        case ConvPlan.Dot9TwoBits: Dot9TwoBits(patch, weights, acc, outBase, corr, cb, cout, bias); break;
                        case ConvPlan.DotShort: DotShort(patch, weights, acc, outBase, corr, cb, cout, bias, n, bits); break;
                        default: DotLong(patch, weights, acc, outBase, corr, cb, cout, bias, n, bits); break;
                    }
                    if (wide != null)
                    {
                        for (int o = 0; o < cout; o++) acc[outBase + o] += wide[wb + o];
                    }
                }
            }
        }

        private static string DotPath(int dot)
        {
            switch (dot)
            {
                case ConvPlan.Dot3Lanes: return Paths.Dot3Lanes;
                case ConvPlan.Dot3OneBit: return Paths.Dot3OneBit;
                case ConvPlan.Dot3TwoBits: return Paths.Dot3TwoBits;
                case ConvPlan.Dot3Planes: return Paths.Dot3Planes;
                case ConvPlan.Dot5OneBit: return Paths.Dot5OneBit;
                case ConvPlan.Dot5TwoBits: return Paths.Dot5TwoBits;
                case ConvPlan.Dot9OneBit: return Paths.Dot9OneBit;
                case ConvPlan.Dot9TwoBits: return Paths.Dot9TwoBits;
                case ConvPlan.DotShort: return Paths.DotShort;
                default: return Paths.DotLong;
            }
        }

        private static string GatherPath(int fast)
        {
            return fast == 16 ? Paths.GatherInterior16 : fast == 32 ? Paths.GatherInterior32 : Paths.GatherInterior64;
        }

        private ConvPlan PlanFor(ConvLayer L)
        {
            for (int i = 0; i < _count; i++)
            {
                if (_layers[i] == L) return _plans[i];
            }
            ConvPlan sameTaps = null;
            for (int i = 0; i < _count && sameTaps == null; i++)
            {
                if (_layers[i].KernelSize == L.KernelSize && _layers[i].InChannels == L.InChannels) sameTaps = _plans[i];
            }
            ConvPlan plan = ConvPlan.Make(L, _zeros, sameTaps);
            if (_count == _layers.Length)
            {
                ConvLayer[] layers = new ConvLayer[_count * 2 + 4];
                ConvPlan[] plans = new ConvPlan[_count * 2 + 4];
                System.Array.Copy(_layers, layers, _count);
                System.Array.Copy(_plans, plans, _count);
                _layers = layers;
                _plans = plans;
            }
            _layers[_count] = L;
            _plans[_count] = plan;
            _count++;
            int need = plan.Words * L.Bits;
            if (_patch.Length < need) _patch = new ulong[need];
            return plan;
        }
    }
}
