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
    /// the byte stage before one multiply folds the bytes. The common shapes (3, 5 or 9 words, 1 bit; 3 words, 2 bits)
    /// are straight-line code with the patch in locals; for 9–16 channels the ninth tap of four output channels shares
    /// one word (16-bit lanes). Measured on nanoCLR: ≈ 26 interpreted IL instructions per 64-bit word and output channel,
    /// ≈ 1 per binary MAC for a whole 1-bit network (device/OneBit.Bench/README.md; host-tools KernelCostModel).
    ///
    /// The border correction needs no per-tap work: every output pixel belongs to a border class (which rows and
    /// which columns of the window are valid), and −z·T3 is tabled per class and output channel when a layer is prepared.
    ///
    /// Memory: a layer plan holds its repacked weights (Cout · words ulongs, about the size of the blob's weights), the
    /// border table (classes · Cout ints; one class when z = 0) and two small index tables; the patch is shared by all layers. Plans are
    /// built by the constructor for every conv of the network (or, for layers it has not seen, on their first Run,
    /// which allocates once per such layer). Run itself never allocates. Not thread-safe: one instance per runner.
    /// </summary>
    public sealed class TunedBinaryConv : IBinaryConvKernel
    {
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
        private int[] _zeros;

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
            if (zeros > 0) _zeros = new int[zeros];
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
            long bytes = 4L * ZerosLength(layers);                    // shared by the z = 0 plans
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
                    bytes += 4L * (L.OutHeight + L.OutWidth)          // border classes
                        + 4L * rows * cols * L.OutChannels;           // −z·T3 per class
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
            ulong[] patch = _patch;
            ulong[] weights = plan.Weights;
            int[] dstWord = plan.DstWord;
            int[] dstShift = plan.DstShift;
            int[] corr = plan.Correction;
            int[] rowClass = plan.RowClass;
            int[] colClass = plan.ColClass;
            int colClasses = plan.ColClasses;
            int k = L.KernelSize, stride = L.Stride, padTop = L.PadTop, padLeft = L.PadLeft;
            int inH = L.InHeight, inW = L.InWidth, outW = L.OutWidth, cout = L.OutChannels;
            int wpc = L.WordsPerTap, bits = L.Bits;
            int n = plan.Words, patchWords = n * bits, pixelWords = bits * wpc, fast = plan.FastGather;
            ulong[] lanes = plan.Lanes;

            for (int oy = oyStart; oy < oyEnd; oy++)
            {
                int iy0 = oy * stride - padTop;
                bool rowInterior = iy0 >= 0 && iy0 + k <= inH;
                int ra = rowInterior ? (iy0 % inRows) * inW : 0;
                int rb = rowInterior ? ((iy0 + 1) % inRows) * inW : 0;
                int rc = rowInterior ? ((iy0 + 2) % inRows) * inW : 0;
                int rowCls = rowClass[oy] * colClasses;
                int outRow = (oy % outRows) * outW;
                for (int ox = 0; ox < outW; ox++)
                {
                    int ix0 = ox * stride - padLeft;
                    if (fast != 0 && rowInterior && ix0 >= 0 && ix0 + 3 <= inW)
                    {
                        // Interior 3×3 window of 16-, 32- or 64-bit taps: assemble the patch words directly.
                        int a = (ra + ix0) * pixelWords, b = (rb + ix0) * pixelWords, c = (rc + ix0) * pixelWords;
                        int a1 = a + pixelWords, a2 = a1 + pixelWords, b1 = b + pixelWords, b2 = b1 + pixelWords;
                        int c1 = c + pixelWords, c2 = c1 + pixelWords;
                        for (int p = 0, pb = 0; p < bits; p++, pb += n)
                        {
                            if (fast == 16)
                            {
                                patch[pb] = planes[a] | ((ulong)planes[a1] << 16) | ((ulong)planes[a2] << 32) | ((ulong)planes[b] << 48);
                                patch[pb + 1] = planes[b1] | ((ulong)planes[b2] << 16) | ((ulong)planes[c] << 32) | ((ulong)planes[c1] << 48);
                                patch[pb + 2] = planes[c2];
                            }
                            else if (fast == 32)
                            {
                                patch[pb] = planes[a] | ((ulong)planes[a1] << 32);
                                patch[pb + 1] = planes[a2] | ((ulong)planes[b] << 32);
                                patch[pb + 2] = planes[b1] | ((ulong)planes[b2] << 32);
                                patch[pb + 3] = planes[c] | ((ulong)planes[c1] << 32);
                                patch[pb + 4] = planes[c2];
                            }
                            else
                            {
                                patch[pb] = planes[a] | ((ulong)planes[a + 1] << 32);
                                patch[pb + 1] = planes[a1] | ((ulong)planes[a1 + 1] << 32);
                                patch[pb + 2] = planes[a2] | ((ulong)planes[a2 + 1] << 32);
                                patch[pb + 3] = planes[b] | ((ulong)planes[b + 1] << 32);
                                patch[pb + 4] = planes[b1] | ((ulong)planes[b1 + 1] << 32);
                                patch[pb + 5] = planes[b2] | ((ulong)planes[b2 + 1] << 32);
                                patch[pb + 6] = planes[c] | ((ulong)planes[c + 1] << 32);
                                patch[pb + 7] = planes[c1] | ((ulong)planes[c1 + 1] << 32);
                                patch[pb + 8] = planes[c2] | ((ulong)planes[c2 + 1] << 32);
                            }
                            if (p + 1 == bits) break;
                            a += wpc; a1 += wpc; a2 += wpc; b += wpc; b1 += wpc; b2 += wpc; c += wpc; c1 += wpc; c2 += wpc;
                        }
                    }
                    else
                    {
                    // Gather: the valid taps' plane words into the zero-filled patch (plane-major, n words per plane).
                    for (int i = 0; i < patchWords; i++) patch[i] = 0;
                    for (int ky = 0; ky < k; ky++)
                    {
                        int iy = iy0 + ky;
                        if (iy < 0 || iy >= inH) continue;
                        int rowBase = (iy % inRows) * inW;
                        for (int kx = 0; kx < k; kx++)
                        {
                            int ix = ix0 + kx;
                            if (ix < 0 || ix >= inW) continue;
                            int src = (rowBase + ix) * pixelWords;
                            int tw = (ky * k + kx) * wpc;
                            if (pixelWords == 1)
                            {
                                patch[dstWord[tw]] |= (ulong)planes[src] << dstShift[tw];
                                continue;
                            }
                            for (int w = 0; w < wpc; w++)
                            {
                                int d = dstWord[tw + w], s = dstShift[tw + w];
                                for (int p = 0, pd = d, ps = src + w; p < bits; p++, pd += n, ps += wpc)
                                {
                                    patch[pd] |= (ulong)planes[ps] << s;
                                }
                            }
                        }
                    }

                    }

                    // T2 = Σ_p 2^p popcount(patch_p): once per output pixel.
                    int t2 = 0;
                    for (int p = 0, i = 0; p < bits; p++)
                    {
                        ulong b16 = 0;
                        if (n <= 30)
                        {
                            // Three words per step at the nibble stage (≤ 12), bytes ≤ 240, one 16-bit fold per plane.
                            ulong b8 = 0;
                            for (int end3 = i + n - n % 3; i < end3; i += 3)
                            {
                                ulong x = patch[i];
                                x -= (x >> 1) & M1;
                                x = (x & M2) + ((x >> 2) & M2);
                                ulong y = patch[i + 1];
                                y -= (y >> 1) & M1;
                                x += (y & M2) + ((y >> 2) & M2);
                                y = patch[i + 2];
                                y -= (y >> 1) & M1;
                                x += (y & M2) + ((y >> 2) & M2);
                                b8 += (x & M4) + ((x >> 4) & M4);
                            }
                            b16 = (b8 & L16) + ((b8 >> 8) & L16);
                        }
                        for (int end = (p + 1) * n; i < end; i++)
                        {
                            ulong x = patch[i];
                            x -= (x >> 1) & M1;
                            x = (x & M2) + ((x >> 2) & M2);
                            x = (x + (x >> 4)) & M4;
                            b16 += (x + (x >> 8)) & L16; // 16-bit lanes (≤ 16 per word): any n fits
                        }
                        t2 += (int)((b16 * H0001) >> 48) << p;
                    }

                    int outBase = (outRow + ox) * cout;
                    int cb = (rowCls + colClass[ox]) * cout;
                    int bias = -2 * t2;
                    if (n == 3)
                    {
                        // 3 words per plane (taps of 9–16 channels, or k = 1): straight-line, each plane's
                        // count ≤ 192 fits the byte lanes, so one multiply folds it.
                        if (bits == 1 && lanes != null)
                        {
                            // 9 taps × 16 bits: words 0 and 1 hold taps 0–7; tap 8 of four output channels shares one
                            // word (16-bit lanes) against the replicated tap-8 activations, counted once per four.
                            ulong p0 = patch[0], p1 = patch[1], p8 = patch[2] * 0x0001000100010001UL;
                            for (int g = 0, wi = 0, ai = outBase, ci = cb, aiEnd = outBase + cout; ai < aiEnd; g++, wi += 12)
                            {
                                ulong z = lanes[g] & p8;
                                z -= (z >> 1) & M1;
                                z = (z & M2) + ((z >> 2) & M2);
                                z = (z + (z >> 4)) & M4;
                                z = (z + (z >> 8)) & L16;
                                ulong x, y;
                                x = weights[wi] & p0;
                                x -= (x >> 1) & M1;
                                x = (x & M2) + ((x >> 2) & M2);
                                y = weights[wi + 1] & p1;
                                y -= (y >> 1) & M1;
                                x += (y & M2) + ((y >> 2) & M2);
                                x = (x & M4) + ((x >> 4) & M4);
                                acc[ai++] = (((int)((x * H01) >> 56) + ((int)z & 0xFF)) << 2) + bias + corr[ci++];
                                x = weights[wi + 3] & p0;
                                x -= (x >> 1) & M1;
                                x = (x & M2) + ((x >> 2) & M2);
                                y = weights[wi + 4] & p1;
                                y -= (y >> 1) & M1;
                                x += (y & M2) + ((y >> 2) & M2);
                                x = (x & M4) + ((x >> 4) & M4);
                                acc[ai++] = (((int)((x * H01) >> 56) + ((int)(z >> 16) & 0xFF)) << 2) + bias + corr[ci++];
                                x = weights[wi + 6] & p0;
                                x -= (x >> 1) & M1;
                                x = (x & M2) + ((x >> 2) & M2);
                                y = weights[wi + 7] & p1;
                                y -= (y >> 1) & M1;
                                x += (y & M2) + ((y >> 2) & M2);
                                x = (x & M4) + ((x >> 4) & M4);
                                acc[ai++] = (((int)((x * H01) >> 56) + ((int)(z >> 32) & 0xFF)) << 2) + bias + corr[ci++];
                                x = weights[wi + 9] & p0;
                                x -= (x >> 1) & M1;
                                x = (x & M2) + ((x >> 2) & M2);
                                y = weights[wi + 10] & p1;
                                y -= (y >> 1) & M1;
                                x += (y & M2) + ((y >> 2) & M2);
                                x = (x & M4) + ((x >> 4) & M4);
                                acc[ai++] = (((int)((x * H01) >> 56) + ((int)(z >> 48))) << 2) + bias + corr[ci++];
                            }
                        }
                        else if (bits == 1)
                        {
                            ulong p0 = patch[0], p1 = patch[1], p2 = patch[2];
                            for (int wi = 0, ai = outBase, ci = cb, aiEnd = outBase + cout; ai < aiEnd; wi += 3)
                            {
                                ulong x = weights[wi] & p0;
                                x -= (x >> 1) & M1;
                                x = (x & M2) + ((x >> 2) & M2);
                                ulong y = weights[wi + 1] & p1;
                                y -= (y >> 1) & M1;
                                x += (y & M2) + ((y >> 2) & M2);
                                y = weights[wi + 2] & p2;
                                y -= (y >> 1) & M1;
                                x += (y & M2) + ((y >> 2) & M2);
                                x = (x & M4) + ((x >> 4) & M4);
                                acc[ai++] = ((int)((x * H01) >> 56) << 2) + bias + corr[ci++];
                            }
                        }
                        else if (bits == 2)
                        {
                            // T1 = pc(W ∧ A0) + 2·pc(W ∧ A1): both planes at the byte stage (≤ 72 per byte), one 16-bit fold.
                            ulong q0 = patch[0], q1 = patch[1], q2 = patch[2], r0 = patch[3], r1 = patch[4], r2 = patch[5];
                            for (int wi = 0, ai = outBase, ci = cb, aiEnd = outBase + cout; ai < aiEnd; wi += 3)
                            {
                                ulong w0 = weights[wi], w1 = weights[wi + 1], w2 = weights[wi + 2];
                                ulong x = w0 & q0;
                                x -= (x >> 1) & M1;
                                x = (x & M2) + ((x >> 2) & M2);
                                ulong y = w1 & q1;
                                y -= (y >> 1) & M1;
                                x += (y & M2) + ((y >> 2) & M2);
                                y = w2 & q2;
                                y -= (y >> 1) & M1;
                                x += (y & M2) + ((y >> 2) & M2);
                                ulong b8 = (x & M4) + ((x >> 4) & M4);
                                x = w0 & r0;
                                x -= (x >> 1) & M1;
                                x = (x & M2) + ((x >> 2) & M2);
                                y = w1 & r1;
                                y -= (y >> 1) & M1;
                                x += (y & M2) + ((y >> 2) & M2);
                                y = w2 & r2;
                                y -= (y >> 1) & M1;
                                x += (y & M2) + ((y >> 2) & M2);
                                b8 += ((x & M4) + ((x >> 4) & M4)) << 1;
                                b8 = (b8 & L16) + ((b8 >> 8) & L16);
                                acc[ai++] = ((int)((b8 * H0001) >> 48) << 2) + bias + corr[ci++];
                            }
                        }
                        else
                        {
                            for (int wi = 0, ai = outBase, ci = cb, aiEnd = outBase + cout; ai < aiEnd; wi += 3)
                            {
                                ulong w0 = weights[wi], w1 = weights[wi + 1], w2 = weights[wi + 2];
                                int t1 = 0;
                                for (int p = 0, pb = 0; p < bits; p++, pb += 3)
                                {
                                    ulong x = w0 & patch[pb];
                                    x -= (x >> 1) & M1;
                                    x = (x & M2) + ((x >> 2) & M2);
                                    ulong y = w1 & patch[pb + 1];
                                    y -= (y >> 1) & M1;
                                    x += (y & M2) + ((y >> 2) & M2);
                                    y = w2 & patch[pb + 2];
                                    y -= (y >> 1) & M1;
                                    x += (y & M2) + ((y >> 2) & M2);
                                    x = (x & M4) + ((x >> 4) & M4);
                                    t1 += (int)((x * H01) >> 56) << p;
                                }
                                acc[ai++] = (t1 << 2) + bias + corr[ci++];
                            }
                        }
                    }
                    else if (n == 5 && bits == 1)
                    {
                        // 3×3 taps of 17–32 channels, 1-bit: straight-line, patch words in locals.
                        ulong p0 = patch[0], p1 = patch[1], p2 = patch[2], p3 = patch[3], p4 = patch[4];
                        for (int wi = 0, ai = outBase, ci = cb, aiEnd = outBase + cout; ai < aiEnd; wi += 5)
                        {
                            ulong x = weights[wi] & p0;
                            x -= (x >> 1) & M1;
                            x = (x & M2) + ((x >> 2) & M2);
                            ulong y = weights[wi + 1] & p1;
                            y -= (y >> 1) & M1;
                            x += (y & M2) + ((y >> 2) & M2);
                            y = weights[wi + 2] & p2;
                            y -= (y >> 1) & M1;
                            x += (y & M2) + ((y >> 2) & M2);
                            ulong b8 = (x & M4) + ((x >> 4) & M4);
                            x = weights[wi + 3] & p3;
                            x -= (x >> 1) & M1;
                            x = (x & M2) + ((x >> 2) & M2);
                            y = weights[wi + 4] & p4;
                            y -= (y >> 1) & M1;
                            x += (y & M2) + ((y >> 2) & M2);
                            b8 += (x & M4) + ((x >> 4) & M4);
                            b8 = (b8 & L16) + ((b8 >> 8) & L16);
                            acc[ai++] = ((int)((b8 * H0001) >> 48) << 2) + bias + corr[ci++];
                        }
                    }
                    else if (n == 5 && bits == 2)
                    {
                        // 3×3 taps of 17–32 channels, 2-bit: straight-line, both planes in locals; T1 = pc(W ∧ A0) + 2·pc(W ∧ A1)
                        // summed at the byte stage (≤ 40 + 2·40 = 120 per byte), one 16-bit fold.
                        ulong q0 = patch[0], q1 = patch[1], q2 = patch[2], q3 = patch[3], q4 = patch[4];
                        ulong r0 = patch[5], r1 = patch[6], r2 = patch[7], r3 = patch[8], r4 = patch[9];
                        for (int wi = 0, ai = outBase, ci = cb, aiEnd = outBase + cout; ai < aiEnd; wi += 5)
                        {
                            ulong w0 = weights[wi], w1 = weights[wi + 1], w2 = weights[wi + 2], w3 = weights[wi + 3], w4 = weights[wi + 4];
                            ulong x = w0 & q0;
                            x -= (x >> 1) & M1;
                            x = (x & M2) + ((x >> 2) & M2);
                            ulong y = w1 & q1;
                            y -= (y >> 1) & M1;
                            x += (y & M2) + ((y >> 2) & M2);
                            y = w2 & q2;
                            y -= (y >> 1) & M1;
                            x += (y & M2) + ((y >> 2) & M2);
                            ulong b8 = (x & M4) + ((x >> 4) & M4);
                            x = w3 & q3;
                            x -= (x >> 1) & M1;
                            x = (x & M2) + ((x >> 2) & M2);
                            y = w4 & q4;
                            y -= (y >> 1) & M1;
                            x += (y & M2) + ((y >> 2) & M2);
                            b8 += (x & M4) + ((x >> 4) & M4);
                            x = w0 & r0;
                            x -= (x >> 1) & M1;
                            x = (x & M2) + ((x >> 2) & M2);
                            y = w1 & r1;
                            y -= (y >> 1) & M1;
                            x += (y & M2) + ((y >> 2) & M2);
                            y = w2 & r2;
                            y -= (y >> 1) & M1;
                            x += (y & M2) + ((y >> 2) & M2);
                            ulong c8 = (x & M4) + ((x >> 4) & M4);
                            x = w3 & r3;
                            x -= (x >> 1) & M1;
                            x = (x & M2) + ((x >> 2) & M2);
                            y = w4 & r4;
                            y -= (y >> 1) & M1;
                            x += (y & M2) + ((y >> 2) & M2);
                            c8 += (x & M4) + ((x >> 4) & M4);
                            b8 += c8 << 1;
                            b8 = (b8 & L16) + ((b8 >> 8) & L16);
                            acc[ai++] = ((int)((b8 * H0001) >> 48) << 2) + bias + corr[ci++];
                        }
                    }
                    else if (n == 9 && bits == 2)
                    {
                        // 3×3 taps of 33–64 channels, 2-bit: straight-line, both planes in locals; T1 = pc(W ∧ A0) + 2·pc(W ∧ A1)
                        // summed at the byte stage (≤ 72 + 2·72 = 216 per byte), one 16-bit fold.
                        ulong q0 = patch[0], q1 = patch[1], q2 = patch[2], q3 = patch[3], q4 = patch[4], q5 = patch[5], q6 = patch[6], q7 = patch[7], q8 = patch[8];
                        ulong r0 = patch[9], r1 = patch[10], r2 = patch[11], r3 = patch[12], r4 = patch[13], r5 = patch[14], r6 = patch[15], r7 = patch[16], r8 = patch[17];
                        for (int wi = 0, ai = outBase, ci = cb, aiEnd = outBase + cout; ai < aiEnd; wi += 9)
                        {
                            ulong w0 = weights[wi], w1 = weights[wi + 1], w2 = weights[wi + 2], w3 = weights[wi + 3], w4 = weights[wi + 4];
                            ulong w5 = weights[wi + 5], w6 = weights[wi + 6], w7 = weights[wi + 7], w8 = weights[wi + 8];
                            ulong x = w0 & q0;
                            x -= (x >> 1) & M1;
                            x = (x & M2) + ((x >> 2) & M2);
                            ulong y = w1 & q1;
                            y -= (y >> 1) & M1;
                            x += (y & M2) + ((y >> 2) & M2);
                            y = w2 & q2;
                            y -= (y >> 1) & M1;
                            x += (y & M2) + ((y >> 2) & M2);
                            ulong b8 = (x & M4) + ((x >> 4) & M4);
                            x = w3 & q3;
                            x -= (x >> 1) & M1;
                            x = (x & M2) + ((x >> 2) & M2);
                            y = w4 & q4;
                            y -= (y >> 1) & M1;
                            x += (y & M2) + ((y >> 2) & M2);
                            y = w5 & q5;
                            y -= (y >> 1) & M1;
                            x += (y & M2) + ((y >> 2) & M2);
                            b8 += (x & M4) + ((x >> 4) & M4);
                            x = w6 & q6;
                            x -= (x >> 1) & M1;
                            x = (x & M2) + ((x >> 2) & M2);
                            y = w7 & q7;
                            y -= (y >> 1) & M1;
                            x += (y & M2) + ((y >> 2) & M2);
                            y = w8 & q8;
                            y -= (y >> 1) & M1;
                            x += (y & M2) + ((y >> 2) & M2);
                            b8 += (x & M4) + ((x >> 4) & M4);
                            x = w0 & r0;
                            x -= (x >> 1) & M1;
                            x = (x & M2) + ((x >> 2) & M2);
                            y = w1 & r1;
                            y -= (y >> 1) & M1;
                            x += (y & M2) + ((y >> 2) & M2);
                            y = w2 & r2;
                            y -= (y >> 1) & M1;
                            x += (y & M2) + ((y >> 2) & M2);
                            ulong c8 = (x & M4) + ((x >> 4) & M4);
                            x = w3 & r3;
                            x -= (x >> 1) & M1;
                            x = (x & M2) + ((x >> 2) & M2);
                            y = w4 & r4;
                            y -= (y >> 1) & M1;
                            x += (y & M2) + ((y >> 2) & M2);
                            y = w5 & r5;
                            y -= (y >> 1) & M1;
                            x += (y & M2) + ((y >> 2) & M2);
                            c8 += (x & M4) + ((x >> 4) & M4);
                            x = w6 & r6;
                            x -= (x >> 1) & M1;
                            x = (x & M2) + ((x >> 2) & M2);
                            y = w7 & r7;
                            y -= (y >> 1) & M1;
                            x += (y & M2) + ((y >> 2) & M2);
                            y = w8 & r8;
                            y -= (y >> 1) & M1;
                            x += (y & M2) + ((y >> 2) & M2);
                            c8 += (x & M4) + ((x >> 4) & M4);
                            b8 += c8 << 1;
                            b8 = (b8 & L16) + ((b8 >> 8) & L16);
                            acc[ai++] = ((int)((b8 * H0001) >> 48) << 2) + bias + corr[ci++];
                        }
                    }
                    else if (n == 9 && bits == 1)
                    {
                        // 3×3 taps of 33–64 channels, 1-bit: straight-line, patch words in locals.
                        ulong p0 = patch[0], p1 = patch[1], p2 = patch[2], p3 = patch[3], p4 = patch[4];
                        ulong p5 = patch[5], p6 = patch[6], p7 = patch[7], p8 = patch[8];
                        for (int wi = 0, ai = outBase, ci = cb, aiEnd = outBase + cout; ai < aiEnd; wi += 9)
                        {
                            ulong x = weights[wi] & p0;
                            x -= (x >> 1) & M1;
                            x = (x & M2) + ((x >> 2) & M2);
                            ulong y = weights[wi + 1] & p1;
                            y -= (y >> 1) & M1;
                            x += (y & M2) + ((y >> 2) & M2);
                            y = weights[wi + 2] & p2;
                            y -= (y >> 1) & M1;
                            x += (y & M2) + ((y >> 2) & M2);
                            ulong b8 = (x & M4) + ((x >> 4) & M4);
                            x = weights[wi + 3] & p3;
                            x -= (x >> 1) & M1;
                            x = (x & M2) + ((x >> 2) & M2);
                            y = weights[wi + 4] & p4;
                            y -= (y >> 1) & M1;
                            x += (y & M2) + ((y >> 2) & M2);
                            y = weights[wi + 5] & p5;
                            y -= (y >> 1) & M1;
                            x += (y & M2) + ((y >> 2) & M2);
                            b8 += (x & M4) + ((x >> 4) & M4);
                            x = weights[wi + 6] & p6;
                            x -= (x >> 1) & M1;
                            x = (x & M2) + ((x >> 2) & M2);
                            y = weights[wi + 7] & p7;
                            y -= (y >> 1) & M1;
                            x += (y & M2) + ((y >> 2) & M2);
                            y = weights[wi + 8] & p8;
                            y -= (y >> 1) & M1;
                            x += (y & M2) + ((y >> 2) & M2);
                            b8 += (x & M4) + ((x >> 4) & M4);
                            b8 = (b8 & L16) + ((b8 >> 8) & L16);
                            acc[ai++] = ((int)((b8 * H0001) >> 48) << 2) + bias + corr[ci++];
                        }
                    }
                    else if (n <= 30)
                    {
                        // One chunk: groups of three words summed at the nibble stage, bytes ≤ 240, 16-bit fold once.
                        int n3 = n - n % 3;
                        for (int o = 0, wo = 0, ai = outBase, ci = cb; o < cout; o++, wo += n)
                        {
                            int t1 = 0;
                            for (int p = 0, pb = 0; p < bits; p++, pb += n)
                            {
                                ulong b8 = 0;
                                int i = pb, wi = wo, end3 = pb + n3, end = pb + n;
                                for (; i < end3; i += 3, wi += 3)
                                {
                                    ulong x = weights[wi] & patch[i];
                                    x -= (x >> 1) & M1;
                                    x = (x & M2) + ((x >> 2) & M2);
                                    ulong y = weights[wi + 1] & patch[i + 1];
                                    y -= (y >> 1) & M1;
                                    x += (y & M2) + ((y >> 2) & M2);
                                    y = weights[wi + 2] & patch[i + 2];
                                    y -= (y >> 1) & M1;
                                    x += (y & M2) + ((y >> 2) & M2);
                                    b8 += (x & M4) + ((x >> 4) & M4);
                                }
                                for (; i < end; i++, wi++)
                                {
                                    ulong x = weights[wi] & patch[i];
                                    x -= (x >> 1) & M1;
                                    x = (x & M2) + ((x >> 2) & M2);
                                    b8 += (x & M4) + ((x >> 4) & M4);
                                }
                                b8 = (b8 & L16) + ((b8 >> 8) & L16);
                                t1 += (int)((b8 * H0001) >> 48) << p;
                            }
                            acc[ai++] = (t1 << 2) + bias + corr[ci++];
                        }
                    }
                    else
                    {
                        // Wide layers (Cin ≥ ~220): chunks of ≤ 30 words keep the byte lanes from overflowing.
                        for (int o = 0, wo = 0; o < cout; o++, wo += n)
                        {
                            int t1 = 0;
                            for (int p = 0, pb = 0; p < bits; p++, pb += n)
                            {
                                int i = pb, wi = wo, end = pb + n, tp = 0;
                                while (i < end)
                                {
                                    int chunkEnd = i + 30 < end ? i + 30 : end;
                                    ulong b8 = 0;
                                    for (; i + 3 <= chunkEnd; i += 3, wi += 3)
                                    {
                                        ulong x = weights[wi] & patch[i];
                                        x -= (x >> 1) & M1;
                                        x = (x & M2) + ((x >> 2) & M2);
                                        ulong y = weights[wi + 1] & patch[i + 1];
                                        y -= (y >> 1) & M1;
                                        x += (y & M2) + ((y >> 2) & M2);
                                        y = weights[wi + 2] & patch[i + 2];
                                        y -= (y >> 1) & M1;
                                        x += (y & M2) + ((y >> 2) & M2);
                                        b8 += (x & M4) + ((x >> 4) & M4);
                                    }
                                    for (; i < chunkEnd; i++, wi++)
                                    {
                                        ulong x = weights[wi] & patch[i];
                                        x -= (x >> 1) & M1;
                                        x = (x & M2) + ((x >> 2) & M2);
                                        b8 += (x & M4) + ((x >> 4) & M4);
                                    }
                                    b8 = (b8 & L16) + ((b8 >> 8) & L16);
                                    tp += (int)((b8 * H0001) >> 48);
                                }
                                t1 += tp << p;
                            }
                            acc[outBase + o] = (t1 << 2) + bias + corr[cb + o];
                        }
                    }
                }
            }
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

        /// <summary>Everything about one layer that does not depend on the frame.</summary>
        private sealed class ConvPlan
        {
            public int Words;          // n: 64-bit words per output channel and bit-plane
            public int FastGather;     // 16, 32 or 64: 3×3 taps of that many bits, interior windows assembled directly
            public ulong[] Lanes;      // 3×3, 9–16 channels, Cout % 4 == 0: [o/4] tap-8 weights of 4 outputs in 16-bit lanes
            public ulong[] Weights;    // [o][n], compact layout
            public int[] DstWord;      // [tap·wpc + w] → patch word of input word w of the tap
            public int[] DstShift;     // [tap·wpc + w] → bit shift within that word
            public int[] RowClass;     // [oy] → index of the row-validity pattern
            public int[] ColClass;     // [ox] → index of the column-validity pattern
            public int ColClasses;
            public int[] Correction;   // [(rowClass·ColClasses + colClass)·Cout + o] = −z·T3

            /// <param name="zeros">Zeros at least as long as OutHeight, OutWidth and OutChannels to share as a z = 0
            /// layer's class and correction tables, or null.</param>
            /// <param name="sameTaps">An earlier plan with the same kernel size and input channels, whose tap map
            /// (DstWord, DstShift) this plan shares, or null.</param>
            public static ConvPlan Make(ConvLayer L, int[] zeros, ConvPlan sameTaps)
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
                    P.Correction = new int[rowClasses * P.ColClasses * cout];
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
                            P.Correction[(rc * P.ColClasses + cc) * cout + o] = -L.ZeroCode * t3;
                        }
                    }
                }

                if (P.FastGather == 16 && n == 3 && cout % 4 == 0)
                {
                    P.Lanes = new ulong[cout / 4];
                    for (int o = 0; o < cout; o++) P.Lanes[o >> 2] |= P.Weights[o * n + 2] << (16 * (o & 3));
                }
                return P;
            }

            /// <summary>Validity mask of the window along one axis for every output position, numbered by distinct mask.
            /// With z = 0 the correction −z·T3 vanishes for every class, so all positions share one class: the table
            /// shrinks to one zero row (folded batch-norm models with ReLU levels, where it would be the largest part
            /// of the plan after the weights).</summary>
            internal static int[] Classes(int outSize, int stride, int pad, int inSize, int k, int zeroCode, out int[] masks, out int count)
            {
                int[] cls = new int[outSize];
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
                    cls[o] = c;
                }
                masks = found;
                return cls;
            }
        }
    }
}
