using System;
using OneBit.Runtime.Kernels;
using OneBit.Runtime.Kernels.Reference;
using OneBit.Runtime.Kernels.Tuned;
using OneBit.Runtime.Model;

namespace OneBit.Runtime.Execution
{
    /// <summary>
    /// Executes a parsed network row by row through ring buffers of a few rows per layer, so that its working memory
    /// is a small multiple of one row per layer instead of whole tensors (<see cref="NetworkRunner"/> keeps two full
    /// streams, full planes and a full accumulator). Same integer results as NetworkRunner, bit for bit: the same
    /// contract (CONTRACT.md §3–§6), the same <see cref="IBinaryConvKernel"/> and row-range variants of the other
    /// kernels: GlobalPoolRowsReference always; for stem, quantize and residual either the reference kernels
    /// (StemConvReference, QuantizeReference, ResidualReference) or, with tunedLayers (what the device app runs), the
    /// interpreter-tuned TunedStem (row mode), TunedQuantize and TunedResidual, whose row-range Run shares its code with
    /// their whole-frame Run in NetworkRunner.Tuned.
    ///
    /// <para><b>Dataflow.</b> Every layer record is a node that produces one tensor, row by row (the global pool
    /// produces nothing per row; it adds each accumulator row to per-class 64-bit sums). Its inputs are the producers
    /// of the buffers it reads in the execution model of CONTRACT.md §7: a quantize reads the node that last wrote the
    /// stream (or the accumulator), a conv the last quantize, a residual both the last stream writer (the block input,
    /// its shortcut) and the last conv, the pool the last conv. Output row r of a node needs these input rows:
    /// quantize, residual accumulator, pool: row r; conv: r·stride − padTop … r·stride − padTop + k − 1 (a stride-2 conv
    /// consumes two new input rows per output row); identity shortcut: row r; average-pool shortcut: 2r − padTop …
    /// 2r − padTop + 2; all clipped to the input's rows. Nodes the pool does not (transitively) read are never run.</para>
    ///
    /// <para><b>Schedule (pull).</b> One step: start at the pool; while the current node has an input that has not yet
    /// produced the last row the current node's next row needs, move to that input (accumulator input first, then
    /// stream); then compute that one row. Steps repeat until the pool has consumed every row. The schedule depends only
    /// on the network, so it is the same for every frame.</para>
    ///
    /// <para><b>Ring sizes (exact, from the blob).</b> At load the schedule is simulated without computing anything
    /// (<see cref="RingRows"/>). A node's rows live in a ring: row r at slot r % ringRows. When it writes row r, the
    /// rows its consumers still need are those from the oldest first-needed row over its unfinished consumers; the ring
    /// size is the maximum over the frame of (rows produced − that oldest row), at least 1. Writing row r then only
    /// overwrites row r − ringRows, which no consumer needs any more, and consumers only advance, so every row a kernel
    /// reads is still in its slot. Typical rings: 3 rows of planes feeding a stride-1 or stride-2 3×3 conv; the block
    /// input stream stays alive from the block's first quantize until the residual add consumes it: 3 rows for an
    /// identity block (rows y … y+2), 5 for a downsampling block (pool window 2y−1 … 2y+1, conv chain up to 2y+3); 1 row
    /// for the last stream, read 1:1 by the head quantize.</para>
    ///
    /// <para><b>Shared accumulator row.</b> A conv whose 1-row ring has a single consumer (a quantize, a residual or the
    /// pool) that, in the simulated schedule, always runs in the step right after the conv wrote the row, does not get a
    /// ring: all such convs write slot 0 of one shared scratch row (as long as the longest of their rows). The row is
    /// valid from the conv's step to the consumer's step, and no other conv runs in between, so the shared row never
    /// holds two live rows. A second pass of the simulation checks the "next step" condition for every row (it fails,
    /// e.g., at the bottom border of a downsampling block whose shortcut window reaches one stream row further than the
    /// conv chain); a conv that fails it keeps its own 1-row ring.</para>
    ///
    /// <para><b>In-place residuals.</b> An identity residual writes S'[y] over S[y] in its shortcut input's ring once no
    /// other consumer of S still needs row y (checked by a simulation; in this execution model the block's quantize
    /// is always ahead). A chain stem → identity blocks then shares one ring, sized by the same simulation to hold
    /// every row any member still needs: 7 rows for a stem and one identity block feeding a downsampling block, against
    /// 3 + 5 for two rings (<see cref="Aliased"/>).</para>
    ///
    /// <para><b>16-bit stream rings.</b> When <see cref="StreamBound"/> proves |S| ≤ 32767 the device runs with
    /// compactStream: stem and residual rings hold shorts (the exact values, so the same logits), halving the largest
    /// buffers. With tuned layers the stem runs in TunedStem's row mode (no row ring).</para>
    ///
    /// <para><b>Ownership and lifetime.</b> All buffers are allocated by the constructor, once, and owned by the runner
    /// for its whole life: four int[layers] bookkeeping arrays (input 0, input 1, ring rows, rows produced in the
    /// current frame), two ring tables (int[][] for stream and accumulator rings, uint[][] for activation-plane rings,
    /// one slot per layer, null for layers without a ring of that type; a third, short[][], for 16-bit stream rings),
    /// one ring per executed non-pool layer (ringRows × one row of its output: W·C int32 — or int16 — for stem, conv and
    /// residual, W·b·wpc words for quantize) except the convs in the shared scratch row and the aliased residuals, that
    /// scratch row, the pool's long[classes] sums, the int[classes] logits and, with tuned layers, the TunedStem tables.
    /// <see cref="WorkingMemoryBytes(Network)"/> is the sum of those arrays' payloads (reference slots counted as 8
    /// bytes); the runtime adds only its per-object headers (on a 64-bit CoreCLR host: 24 bytes per array, up to 7 of
    /// alignment, and the runner object; nanoCLR's headers differ). A ring row is valid from the step that writes it
    /// until the step that overwrites its slot; nothing is valid between frames except the logits. The input frame is
    /// the caller's and is only read during Run. Run neither allocates nor re-validates. Not thread-safe: one runner per
    /// thread (and one conv kernel instance per runner when the kernel keeps scratch state; such a kernel's own scratch
    /// is not part of this working memory).</para>
    /// </summary>
    public sealed class StreamingRunner : IFrameClassifier
    {
        /// <summary>Input slot value: the layer has no input of this kind.</summary>
        private const int NoInput = -1;
        /// <summary>Input slot value: the layer's output is never read by the pool (not executed, no ring).</summary>
        private const int Dead = -2;
        /// <summary>Ring rows of a layer whose single row lives in the shared accumulator scratch row.</summary>
        public const int Shared = -1;
        /// <summary>Ring rows of an identity residual that writes its output in place over its shortcut input's ring.</summary>
        public const int Aliased = -2;
        /// <summary>Bytes counted per slot of a reference array (8 on a 64-bit host; an upper bound on 32-bit devices).</summary>
        public const int ReferenceSlotBytes = 8;

        private readonly Network _net;
        private readonly IBinaryConvKernel _conv;
        private readonly int[] _input0;
        private readonly int[] _input1;
        private readonly int[] _ringRows;
        private readonly int[] _produced;
        private readonly int[][] _intRings;
        private readonly uint[][] _planeRings;
        private readonly short[][] _streamRings;
        private readonly int[] _scratch;
        private readonly long[] _poolSums;
        private readonly int[] _logits;
        private readonly long _workingMemory;
        private readonly bool _tuned;
        private readonly bool _compact;
        private readonly TunedStem _stem;

        public StreamingRunner(Network network) : this(network, BinaryConvReference.Instance, long.MaxValue)
        {
        }

        public StreamingRunner(Network network, IBinaryConvKernel convKernel) : this(network, convKernel, long.MaxValue)
        {
        }

        /// <param name="memoryBudgetBytes">Largest parameters + working memory the caller can afford (e.g. 96 KB on an
        /// ESP32 without PSRAM); the constructor throws <see cref="MemoryBudgetException"/> before allocating the rings
        /// when Network.ParameterBytes + WorkingMemoryBytes exceeds it.</param>
        public StreamingRunner(Network network, IBinaryConvKernel convKernel, long memoryBudgetBytes)
            : this(network, convKernel, memoryBudgetBytes, false)
        {
        }

        /// <param name="memoryBudgetBytes">As in the three-argument constructor.</param>
        /// <param name="tunedLayers">True: stem, quantize and residual rows run TunedStem in row mode (its tables are part
        /// of the working memory), TunedQuantize and TunedResidual (bit-exact with the reference kernels); false: the
        /// reference kernels. For the tuned conv, pass a <see cref="TunedBinaryConv"/> as <paramref name="convKernel"/>.</param>
        public StreamingRunner(Network network, IBinaryConvKernel convKernel, long memoryBudgetBytes, bool tunedLayers)
            : this(network, convKernel, memoryBudgetBytes, tunedLayers, false)
        {
        }

        /// <param name="memoryBudgetBytes">As in the three-argument constructor.</param>
        /// <param name="tunedLayers">As in the four-argument constructor.</param>
        /// <param name="compactStream">True: stream rings (stem and residual outputs) hold 16-bit values, half the
        /// bytes; exact only when <see cref="StreamBound.FitsInt16"/> proves it, so this requires that and tuned layers
        /// (the residual writes the short rings directly; the stem and the stream quantizers go through the shared
        /// scratch row, widened or narrowed one row at a time). Same logits as the int32 rings.</param>
        public StreamingRunner(Network network, IBinaryConvKernel convKernel, long memoryBudgetBytes, bool tunedLayers, bool compactStream)
        {
            if (network == null) throw new ArgumentNullException("network");
            if (convKernel == null) throw new ArgumentNullException("convKernel");
            if (compactStream && !tunedLayers) throw new ArgumentException("16-bit stream rings need the tuned layers");
            if (compactStream && !StreamBound.FitsInt16(network))
            {
                throw new ArgumentException("the stream of this network is not proven to fit 16 bits (bound " + StreamBound.Of(network).ToString() + ")");
            }
            _net = network;
            _conv = convKernel;
            _tuned = tunedLayers;
            _compact = compactStream;
            Layer[] layers = network.Layers;
            int n = layers.Length;
            _input0 = new int[n];
            _input1 = new int[n];
            _ringRows = new int[n];
            _produced = new int[n];
            Plan(layers, _input0, _input1, _ringRows, _produced);
            _workingMemory = WorkingMemoryOf(network, _ringRows, tunedLayers, compactStream);
            if (network.ParameterBytes + _workingMemory > memoryBudgetBytes)
            {
                throw new MemoryBudgetException("the streaming runner", network.ParameterBytes, _workingMemory, memoryBudgetBytes);
            }

            _intRings = new int[n][];
            _planeRings = new uint[n][];
            if (compactStream) _streamRings = new short[n][];
            if (tunedLayers) _stem = new TunedStem(network, true);
            int scratch = ScratchElements(layers, _ringRows, compactStream);
            _scratch = scratch > 0 ? new int[scratch] : null;
            for (int i = 0; i < n; i++)
            {
                if (_ringRows[i] == Shared)
                {
                    _intRings[i] = _scratch;
                    _ringRows[i] = 1;
                    continue;
                }
                if (_ringRows[i] == Aliased)
                {
                    // Its shortcut input comes earlier, so the owner's ring (and row count) is already in place.
                    int owner = _input0[i];
                    _intRings[i] = _intRings[owner];
                    if (compactStream) _streamRings[i] = _streamRings[owner];
                    _ringRows[i] = _ringRows[owner];
                    continue;
                }
                if (_ringRows[i] == 0) continue;
                int size = _ringRows[i] * RowElements(layers[i]);
                if (layers[i].Kind == LayerKind.Quantize) _planeRings[i] = new uint[size];
                else if (compactStream && IsStream(layers[i])) _streamRings[i] = new short[size];
                else _intRings[i] = new int[size];
            }
            _poolSums = new long[network.ClassCount];
            _logits = new int[network.ClassCount];
        }

        public Network Network { get { return _net; } }

        /// <summary>Logits of the last frame; owned by the runner and overwritten by the next Run.</summary>
        public int[] Logits { get { return _logits; } }

        /// <summary>Bytes of every array this runner allocated (see <see cref="WorkingMemoryBytes(Network)"/>).</summary>
        public long WorkingMemory { get { return _workingMemory; } }

        /// <summary>Rows in the ring of layer <paramref name="layerIndex"/> (0: no ring; 1 also for a layer in the shared scratch row).</summary>
        public int RingRowsOf(int layerIndex)
        {
            return _ringRows[layerIndex];
        }

        /// <summary>Classifies one frame of InputHeight×InputWidth×InputChannels bytes (HWC) and returns the class.</summary>
        public int Run(byte[] pixels)
        {
            if (pixels == null || pixels.Length != _net.InputBytes)
            {
                throw new ArgumentException("a frame must have " + _net.InputBytes.ToString() + " bytes (HxWxC)");
            }
            Layer[] layers = _net.Layers;
            int last = layers.Length - 1;
            GlobalPoolLayer pool = (GlobalPoolLayer)layers[last];
            for (int i = 0; i <= last; i++) _produced[i] = 0;
            GlobalPoolRowsReference.Begin(pool, _poolSums);
            while (_produced[last] < pool.Height)
            {
                int node = NextNode(layers, _input0, _input1, _produced);
                ComputeRow(layers[node], node, _produced[node], pixels);
                _produced[node]++;
            }
            GlobalPoolRowsReference.Finish(pool, _poolSums, _logits);
            return ArgMax.Of(_logits, _logits.Length);
        }

        /// <summary>CRC-32 of the current logits as int32 little-endian (what test vectors store).</summary>
        public uint LogitsChecksum()
        {
            uint state = Crc32.Start();
            for (int i = 0; i < _logits.Length; i++) state = Crc32.UpdateInt32(state, _logits[i]);
            return Crc32.Finish(state);
        }

        /// <summary>
        /// One row of one layer. With 16-bit stream rings the stem and the quantizers that read the stream run their
        /// int32 kernels on the shared scratch row as a one-row ring (narrowed into, or widened from, the short ring):
        /// that row is free in this step, because a conv that shares it is always consumed in the very next step (see the
        /// class comment), and neither a stem nor a stream quantizer consumes a conv.
        /// </summary>
        private void ComputeRow(Layer layer, int node, int r, byte[] pixels)
        {
            int a = _input0[node];
            switch (layer.Kind)
            {
                case LayerKind.Stem:
                    StemLayer stem = (StemLayer)layer;
                    if (_compact)
                    {
                        _stem.Run(stem, pixels, _scratch, 1, r, r + 1);
                        Narrow(_scratch, _streamRings[node], (r % _ringRows[node]) * RowElements(layer), RowElements(layer));
                    }
                    else if (_tuned) _stem.Run(stem, pixels, _intRings[node], _ringRows[node], r, r + 1);
                    else StemConvReference.Run(stem, pixels, _intRings[node], _ringRows[node], r, r + 1);
                    break;
                case LayerKind.Quantize:
                    QuantizeLayer q = (QuantizeLayer)layer;
                    if (_compact && q.Source == QuantizeLayer.FromStream)
                    {
                        int count = q.Width * q.Channels;
                        Widen(_streamRings[a], (r % _ringRows[a]) * count, _scratch, count);
                        TunedQuantize.Run(q, _scratch, 1, _planeRings[node], _ringRows[node], r, r + 1);
                    }
                    else if (_tuned) TunedQuantize.Run(q, _intRings[a], _ringRows[a], _planeRings[node], _ringRows[node], r, r + 1);
                    else QuantizeReference.Run(q, _intRings[a], _ringRows[a], _planeRings[node], _ringRows[node], r, r + 1);
                    break;
                case LayerKind.Conv:
                    _conv.Run((ConvLayer)layer, _planeRings[a], _ringRows[a], _intRings[node], _ringRows[node], r, r + 1);
                    break;
                case LayerKind.Residual:
                    ResidualLayer res = (ResidualLayer)layer;
                    int b = _input1[node];
                    if (_compact)
                    {
                        TunedResidual.Run(res, _streamRings[a], _ringRows[a], _intRings[b], _ringRows[b], _streamRings[node], _ringRows[node], r, r + 1);
                    }
                    else if (_tuned)
                    {
                        TunedResidual.Run(res, _intRings[a], _ringRows[a], _intRings[b], _ringRows[b], _intRings[node], _ringRows[node], r, r + 1);
                    }
                    else
                    {
                        ResidualReference.Run(res, _intRings[a], _ringRows[a], _intRings[b], _ringRows[b], _intRings[node], _ringRows[node], r, r + 1);
                    }
                    break;
                case LayerKind.GlobalPool:
                    GlobalPoolRowsReference.Accumulate((GlobalPoolLayer)layer, _intRings[a], _ringRows[a], _poolSums, r, r + 1);
                    break;
            }
        }

        private static void Narrow(int[] from, short[] to, int at, int count)
        {
            for (int i = 0; i < count; i++) to[at + i] = (short)from[i];
        }

        private static void Widen(short[] from, int at, int[] to, int count)
        {
            for (int i = 0; i < count; i++) to[i] = from[at + i];
        }

        private static bool IsStream(Layer layer)
        {
            return layer.Kind == LayerKind.Stem || layer.Kind == LayerKind.Residual;
        }

        // ---- the plan: computed from the network alone, shared by the constructor and the static size queries ----

        /// <summary>
        /// Bytes of every array a StreamingRunner allocates for <paramref name="network"/>: bookkeeping
        /// (4 int[layers] + 2 reference tables of layers slots), the rings (ring rows × row bytes per executed layer),
        /// the pool's sums (8 per class) and the logits (4 per class). Object headers are not included.
        /// </summary>
        public static long WorkingMemoryBytes(Network network)
        {
            return WorkingMemoryOf(network, RingRows(network), false, false);
        }

        /// <summary>As <see cref="WorkingMemoryBytes(Network)"/> for a runner with the tuned layers (plus the row-mode
        /// TunedStem's tables, <see cref="TunedStem.RowPlanBytes"/>) and, when <paramref name="compactStream"/>, 16-bit
        /// stream rings (2 bytes per stream element, one more reference table, a scratch row at least one stream row
        /// long): the device app's configuration.</summary>
        public static long WorkingMemoryBytes(Network network, bool tunedLayers, bool compactStream)
        {
            return WorkingMemoryOf(network, RingRows(network), tunedLayers, compactStream);
        }

        /// <summary>
        /// Ring rows per layer as the runner allocates them: 0 for the pool and for layers the pool never reads,
        /// <see cref="Shared"/> for accumulators whose one row lives in the shared scratch row, <see cref="Aliased"/> for
        /// identity residuals that share their shortcut input's ring (whose rows then cover the whole chain).
        /// </summary>
        public static int[] RingRows(Network network)
        {
            if (network == null) throw new ArgumentNullException("network");
            int n = network.Layers.Length;
            int[] rows = new int[n];
            Plan(network.Layers, new int[n], new int[n], rows, new int[n]);
            return rows;
        }

        /// <summary>Bytes of one row of the layer's output ring (0 for the pool).</summary>
        public static long RowBytes(Layer layer)
        {
            return 4L * RowElements(layer);
        }

        /// <summary>Number of arrays the constructor allocates (each costs one object header on top of the working memory).</summary>
        public static int AllocatedArrays(Network network)
        {
            return AllocatedArrays(network, false, false);
        }

        /// <summary>As <see cref="AllocatedArrays(Network)"/> for the given layers and stream storage (the row-mode
        /// TunedStem counts as 10 objects: itself, 7 tables and 2 planning temporaries).</summary>
        public static int AllocatedArrays(Network network, bool tunedLayers, bool compactStream)
        {
            int[] rows = RingRows(network);
            int count = 4 + 2 + 2 + (compactStream ? 1 : 0) + (tunedLayers ? 10 : 0);
            for (int i = 0; i < rows.Length; i++)
            {
                if (rows[i] > 0) count++;
            }
            return ScratchElements(network.Layers, rows, compactStream) > 0 ? count + 1 : count;
        }

        private static long WorkingMemoryOf(Network network, int[] ringRows, bool tunedLayers, bool compactStream)
        {
            Layer[] layers = network.Layers;
            int tables = compactStream ? 3 : 2;
            long total = 4L * 4 * layers.Length + (long)tables * ReferenceSlotBytes * layers.Length;
            for (int i = 0; i < layers.Length; i++)
            {
                if (ringRows[i] <= 0) continue;
                long rowBytes = compactStream && IsStream(layers[i]) ? 2L * RowElements(layers[i]) : RowBytes(layers[i]);
                total += ringRows[i] * rowBytes;
            }
            total += 4L * ScratchElements(layers, ringRows, compactStream);
            total += 12L * network.ClassCount;
            if (tunedLayers) total += TunedStem.RowPlanBytes(network);
            return total;
        }

        /// <summary>Elements of the shared scratch row: the longest row among the Shared layers and, with 16-bit
        /// stream rings, among the executed stream layers (0: none).</summary>
        private static int ScratchElements(Layer[] layers, int[] ringRows, bool compactStream)
        {
            int max = 0;
            for (int i = 0; i < layers.Length; i++)
            {
                bool uses = ringRows[i] == Shared || (compactStream && ringRows[i] > 0 && IsStream(layers[i]));
                if (uses && RowElements(layers[i]) > max) max = RowElements(layers[i]);
            }
            return max;
        }

        private static int RowElements(Layer layer)
        {
            switch (layer.Kind)
            {
                case LayerKind.Stem:
                    StemLayer s = (StemLayer)layer;
                    return s.Width * s.OutChannels;
                case LayerKind.Quantize:
                    QuantizeLayer q = (QuantizeLayer)layer;
                    return q.Width * q.Bits * BitConvention.WordsFor(q.Channels);
                case LayerKind.Conv:
                    ConvLayer c = (ConvLayer)layer;
                    return c.OutWidth * c.OutChannels;
                case LayerKind.Residual:
                    ResidualLayer r = (ResidualLayer)layer;
                    return r.OutWidth * r.OutChannels;
                default:
                    return 0;
            }
        }

        /// <summary>Rows of the layer's output (for the pool: rows of the accumulator it consumes).</summary>
        private static int Rows(Layer layer)
        {
            switch (layer.Kind)
            {
                case LayerKind.Stem: return ((StemLayer)layer).Height;
                case LayerKind.Quantize: return ((QuantizeLayer)layer).Height;
                case LayerKind.Conv: return ((ConvLayer)layer).OutHeight;
                case LayerKind.Residual: return ((ResidualLayer)layer).OutHeight;
                default: return ((GlobalPoolLayer)layer).Height;
            }
        }

        /// <summary>First row of input <paramref name="slot"/> (0 or 1) that output row r of the layer reads (may be negative: padding).</summary>
        private static int FirstInputRow(Layer layer, int slot, int r)
        {
            if (layer.Kind == LayerKind.Conv)
            {
                ConvLayer c = (ConvLayer)layer;
                return r * c.Stride - c.PadTop;
            }
            if (layer.Kind == LayerKind.Residual && slot == 0)
            {
                ResidualLayer res = (ResidualLayer)layer;
                return res.Shortcut == ResidualLayer.Identity ? r : 2 * r - res.PadTop;
            }
            return r;
        }

        /// <summary>Last row of input <paramref name="slot"/> that output row r reads (may exceed the input: padding).</summary>
        private static int LastInputRow(Layer layer, int slot, int r)
        {
            if (layer.Kind == LayerKind.Conv)
            {
                ConvLayer c = (ConvLayer)layer;
                return r * c.Stride - c.PadTop + c.KernelSize - 1;
            }
            if (layer.Kind == LayerKind.Residual && slot == 0)
            {
                ResidualLayer res = (ResidualLayer)layer;
                return res.Shortcut == ResidualLayer.Identity ? r : 2 * r - res.PadTop + 2;
            }
            return r;
        }

        /// <summary>True when input <paramref name="slot"/> has not yet produced the last row output row r needs.</summary>
        private static bool Waits(Layer[] layers, int[] produced, int node, int input, int slot)
        {
            int need = LastInputRow(layers[node], slot, produced[node]);
            int rows = Rows(layers[input]);
            if (need > rows - 1) need = rows - 1;
            return produced[input] <= need;
        }

        /// <summary>One schedule step: the node whose next row is computed now (see the class comment).</summary>
        private static int NextNode(Layer[] layers, int[] input0, int[] input1, int[] produced)
        {
            int node = layers.Length - 1;
            while (true)
            {
                int i = input1[node];
                if (i >= 0 && Waits(layers, produced, node, i, 1))
                {
                    node = i;
                    continue;
                }
                i = input0[node];
                if (i >= 0 && Waits(layers, produced, node, i, 0))
                {
                    node = i;
                    continue;
                }
                return node;
            }
        }

        /// <summary>Oldest row of <paramref name="node"/> that an unfinished consumer still needs (produced[node] if none).</summary>
        private static int OldestNeeded(Layer[] layers, int[] input0, int[] input1, int[] produced, int node)
        {
            int oldest = produced[node];
            for (int j = node + 1; j < layers.Length; j++)
            {
                if (produced[j] >= Rows(layers[j])) continue;
                for (int slot = 0; slot < 2; slot++)
                {
                    if ((slot == 0 ? input0[j] : input1[j]) != node) continue;
                    int first = FirstInputRow(layers[j], slot, produced[j]);
                    if (first < 0) first = 0;
                    if (first < oldest) oldest = first;
                }
            }
            return oldest;
        }

        /// <summary>
        /// Wires every layer to the producers of its inputs, marks the layers the pool never reads as dead, and
        /// simulates one frame of the schedule to size the rings. Uses only the four arrays it is given (no allocation);
        /// leaves <paramref name="produced"/> zero.
        /// </summary>
        private static void Plan(Layer[] layers, int[] input0, int[] input1, int[] ringRows, int[] produced)
        {
            int n = layers.Length;
            int stream = NoInput, act = NoInput, acc = NoInput;
            for (int i = 0; i < n; i++)
            {
                input0[i] = NoInput;
                input1[i] = NoInput;
                switch (layers[i].Kind)
                {
                    case LayerKind.Stem:
                        stream = i;
                        break;
                    case LayerKind.Quantize:
                        input0[i] = ((QuantizeLayer)layers[i]).Source == QuantizeLayer.FromStream ? stream : acc;
                        act = i;
                        break;
                    case LayerKind.Conv:
                        input0[i] = act;
                        acc = i;
                        break;
                    case LayerKind.Residual:
                        input0[i] = stream;
                        input1[i] = acc;
                        stream = i;
                        break;
                    case LayerKind.GlobalPool:
                        input0[i] = acc;
                        break;
                }
            }

            // Liveness, backwards from the pool (the last layer); produced[] serves as the mark.
            for (int i = 0; i < n; i++) produced[i] = 0;
            produced[n - 1] = 1;
            for (int i = n - 1; i >= 0; i--)
            {
                if (produced[i] == 0)
                {
                    input0[i] = Dead;
                    input1[i] = Dead;
                    continue;
                }
                if (input0[i] >= 0) produced[input0[i]] = 1;
                if (input1[i] >= 0) produced[input1[i]] = 1;
            }

            // Identity residuals are candidates to write in place over their shortcut input's ring: S'[y] replaces
            // S[y] in its slot once nothing but the residual itself still needs S[y]. A simulation drops every
            // candidate for which, when it writes row y, another consumer of its shortcut input still needs a row ≤ y.
            for (int i = 0; i < n; i++)
            {
                produced[i] = 0;
                ResidualLayer res = layers[i] as ResidualLayer;
                bool identity = res != null && res.Shortcut == ResidualLayer.Identity && res.InChannels == res.OutChannels;
                ringRows[i] = identity && input0[i] >= 0 ? Aliased : 0;
            }
            int last = n - 1, total = Rows(layers[last]);
            while (produced[last] < total)
            {
                int node = NextNode(layers, input0, input1, produced);
                if (ringRows[node] == Aliased && StillNeededByOthers(layers, input0, input1, produced, node)) ringRows[node] = 0;
                produced[node]++;
            }

            // Ring sizes. A ring shared by an aliased chain (its owner and the residuals written over it) holds every
            // row any member still needs: from the oldest such row up to the newest row any member has produced.
            for (int i = 0; i < n; i++) produced[i] = 0;
            while (produced[last] < total)
            {
                int node = NextNode(layers, input0, input1, produced);
                produced[node]++;
                if (node == last) continue;
                int owner = OwnerOf(ringRows, input0, node);
                int newest = produced[owner], oldest = OldestNeeded(layers, input0, input1, produced, owner);
                for (int m = owner + 1; m < n; m++)
                {
                    if (ringRows[m] != Aliased || OwnerOf(ringRows, input0, m) != owner) continue;
                    if (produced[m] > newest) newest = produced[m];
                    int o = OldestNeeded(layers, input0, input1, produced, m);
                    if (o < oldest) oldest = o;
                }
                int span = newest - oldest;
                if (span < 1) span = 1;
                if (span > ringRows[owner]) ringRows[owner] = span;
            }
            for (int i = 0; i < n; i++) produced[i] = 0;

            // Accumulator rows read by exactly one consumer in the very next step share one scratch row (ring marked
            // Shared). Candidates: convs with a 1-row ring and one live consumer (a quantize, a residual or the pool,
            // none of which writes the scratch). A second identical simulation drops every candidate one of whose
            // rows is not consumed by the step right after the one that wrote it.
            for (int i = 0; i < n; i++)
            {
                if (layers[i].Kind == LayerKind.Conv && ringRows[i] == 1 && ConsumerCount(input0, input1, i) == 1) ringRows[i] = Shared;
            }
            int pending = NoInput;
            while (produced[last] < total)
            {
                int node = NextNode(layers, input0, input1, produced);
                if (pending >= 0 && input0[node] != pending && input1[node] != pending) ringRows[pending] = 1;
                pending = ringRows[node] == Shared ? node : NoInput;
                produced[node]++;
            }
            for (int i = 0; i < n; i++) produced[i] = 0;
        }

        private static int OwnerOf(int[] ringRows, int[] input0, int node)
        {
            while (ringRows[node] == Aliased) node = input0[node];
            return node;
        }

        /// <summary>True when a consumer of the shortcut input of <paramref name="node"/> other than the node itself
        /// still needs a row up to the one the node is about to write (so writing it in place would be wrong).</summary>
        private static bool StillNeededByOthers(Layer[] layers, int[] input0, int[] input1, int[] produced, int node)
        {
            int source = input0[node], y = produced[node];
            for (int j = source + 1; j < layers.Length; j++)
            {
                if (j == node || produced[j] >= Rows(layers[j])) continue;
                for (int slot = 0; slot < 2; slot++)
                {
                    if ((slot == 0 ? input0[j] : input1[j]) == source && FirstInputRow(layers[j], slot, produced[j]) <= y) return true;
                }
            }
            return false;
        }

        private static int ConsumerCount(int[] input0, int[] input1, int node)
        {
            int count = 0;
            for (int j = node + 1; j < input0.Length; j++)
            {
                if (input0[j] == node) count++;
                if (input1[j] == node) count++;
            }
            return count;
        }
    }
}
