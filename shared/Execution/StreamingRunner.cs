using System;
using OneBit.Runtime.Kernels;
using OneBit.Runtime.Kernels.Reference;
using OneBit.Runtime.Model;

namespace OneBit.Runtime.Execution
{
    /// <summary>
    /// Executes a network row by row through ring buffers of a few rows per layer, as its <see cref="StreamingPlan"/>
    /// lays out, so that its working memory is a small multiple of one row per layer instead of whole tensors
    /// (<see cref="NetworkRunner"/> keeps two full streams, full planes and a full accumulator). Same integer results as
    /// NetworkRunner, bit for bit: the same contract (CONTRACT.md §3–§6) through the row-range entry points of the same
    /// <see cref="LayerKernels"/>. Run walks the plan's steps, runs of consecutive layers: one kernel call for one row
    /// per step.
    ///
    /// <para><b>Ownership and lifetime.</b> All buffers are allocated by the constructor, once, and owned by the runner
    /// for its whole life (their bytes: <see cref="StreamingPlan.WorkingMemoryBytes"/>). A ring row is valid from the
    /// step that writes it until the step that overwrites its slot; nothing is valid between frames except the logits.
    /// The input frame is the caller's and is only read during Run. Run neither allocates nor re-validates. Not
    /// thread-safe: one runner per thread, with its own kernels.</para>
    /// </summary>
    public sealed class StreamingRunner : IFrameClassifier
    {
        private readonly Network _net;
        private readonly StreamingPlan _plan;
        private readonly LayerKernels _kernels;
        private readonly Layer[] _layers;
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
        private readonly bool _int16;

        /// <summary>Reference kernels, int32 stream rings.</summary>
        public StreamingRunner(Network network) : this(network, ReferenceKernelSet.Instance)
        {
        }

        /// <summary>The set's kernels (row mode, the network's weights kept), int32 stream rings.</summary>
        public StreamingRunner(Network network, KernelSet kernels)
            : this(StreamingPlan.For(network, false), kernels.For(network, true, false))
        {
        }

        /// <param name="plan">The plan of the network to run.</param>
        /// <param name="kernels">The network's kernels (made for rows: KernelSet.For with rowsOnly); with 16-bit stream
        /// rings they must have the 16-bit residual (<see cref="LayerKernels.HasInt16Stream"/>).</param>
        public StreamingRunner(StreamingPlan plan, LayerKernels kernels)
        {
            if (plan == null) throw new ArgumentNullException("plan");
            if (kernels == null) throw new ArgumentNullException("kernels");
            if (plan.Int16Stream && !kernels.HasInt16Stream)
            {
                throw new ArgumentException("16-bit stream rings need kernels with a 16-bit residual, which the " + kernels.Name + " kernels lack");
            }
            _net = plan.Network;
            _plan = plan;
            _kernels = kernels;
            _int16 = plan.Int16Stream;
            _layers = _net.Layers;
            _input0 = plan.Input0;
            _input1 = plan.Input1;
            int n = _layers.Length;
            _ringRows = new int[n];
            _produced = new int[n];
            _intRings = new int[n][];
            _planeRings = new uint[n][];
            if (_int16) _streamRings = new short[n][];
            int scratch = plan.ScratchRowElements;
            _scratch = scratch > 0 ? new int[scratch] : null;
            for (int i = 0; i < n; i++)
            {
                int rows = plan.RingRowsOf(i);
                _ringRows[i] = plan.ResolvedRowsOf(i);
                if (rows == StreamingPlan.Shared) _intRings[i] = _scratch;
                else if (rows == StreamingPlan.Aliased)
                {
                    // Its shortcut input comes earlier, so the owner's ring is already in place.
                    _intRings[i] = _intRings[_input0[i]];
                    if (_int16) _streamRings[i] = _streamRings[_input0[i]];
                }
                else if (rows > 0)
                {
                    int size = rows * LayerRows.Elements(_layers[i]);
                    if (_layers[i].Kind == LayerKind.Quantize) _planeRings[i] = new uint[size];
                    else if (_int16 && LayerRows.IsStream(_layers[i])) _streamRings[i] = new short[size];
                    else _intRings[i] = new int[size];
                }
            }
            _poolSums = new long[_net.ClassCount];
            _logits = new int[_net.ClassCount];
        }

        public Network Network { get { return _net; } }

        public StreamingPlan Plan { get { return _plan; } }

        /// <summary>The kernels' set name.</summary>
        public string KernelName { get { return _kernels.Name; } }

        /// <summary>Logits of the last frame; owned by the runner and overwritten by the next Run.</summary>
        public int[] Logits { get { return _logits; } }

        /// <summary>Bytes of every array this runner and its plan hold (<see cref="StreamingPlan.WorkingMemoryBytes"/>).</summary>
        public long WorkingMemory { get { return _plan.WorkingMemoryBytes; } }

        /// <summary>Classifies one frame of InputHeight×InputWidth×InputChannels bytes (HWC) and returns the class.</summary>
        public int Run(byte[] pixels)
        {
            if (pixels == null || pixels.Length != _net.InputBytes)
            {
                throw new ArgumentException("a frame must have " + _net.InputBytes.ToString() + " bytes (HxWxC)");
            }
            int[] produced = _produced;
            for (int i = 0; i < produced.Length; i++) produced[i] = 0;
            GlobalPoolLayer pool = (GlobalPoolLayer)_layers[_layers.Length - 1];
            _kernels.PoolBegin(pool, _poolSums);
            byte[] runs = _plan.RunList;
            int count = 2 * _plan.RunCount;
            if (!_plan.Wide)
            {
                for (int i = 0; i < count; i += 2)
                {
                    for (int node = runs[i], last = runs[i + 1]; node <= last; node++) ComputeRow(node, produced[node]++, pixels);
                }
            }
            else
            {
                for (int i = 0; i < 2 * count; i += 4)
                {
                    for (int node = runs[i] | (runs[i + 1] << 8), last = runs[i + 2] | (runs[i + 3] << 8); node <= last; node++)
                    {
                        ComputeRow(node, produced[node]++, pixels);
                    }
                }
            }
            _kernels.PoolFinish(pool, _poolSums, _logits);
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
        /// Row r of one layer. With 16-bit stream rings the stem and the quantizers that read the stream run their
        /// int32 kernels on the shared scratch row as a one-row ring, narrowed into or widened from the short ring (why
        /// that row is free in their steps: StreamingPlan's class comment).
        /// </summary>
        private void ComputeRow(int node, int r, byte[] pixels)
        {
            Layer layer = _layers[node];
            int a = _input0[node];
            switch (layer.Kind)
            {
                case LayerKind.Stem:
                    StemLayer stem = (StemLayer)layer;
                    if (_int16)
                    {
                        int count = LayerRows.Elements(layer);
                        _kernels.Stem(stem, pixels, _scratch, 1, r, r + 1);
                        Narrow(_scratch, _streamRings[node], (r % _ringRows[node]) * count, count);
                    }
                    else _kernels.Stem(stem, pixels, _intRings[node], _ringRows[node], r, r + 1);
                    break;
                case LayerKind.Quantize:
                    QuantizeLayer q = (QuantizeLayer)layer;
                    if (_int16 && q.Source == QuantizeLayer.FromStream)
                    {
                        int count = q.Width * q.Channels;
                        Widen(_streamRings[a], (r % _ringRows[a]) * count, _scratch, count);
                        _kernels.Quantize(q, _scratch, 1, _planeRings[node], _ringRows[node], r, r + 1);
                    }
                    else _kernels.Quantize(q, _intRings[a], _ringRows[a], _planeRings[node], _ringRows[node], r, r + 1);
                    break;
                case LayerKind.Conv:
                    _kernels.Conv((ConvLayer)layer, _planeRings[a], _ringRows[a], _intRings[node], _ringRows[node], r, r + 1);
                    break;
                case LayerKind.Residual:
                    ResidualLayer res = (ResidualLayer)layer;
                    int b = _input1[node];
                    if (_int16)
                    {
                        _kernels.Residual(res, _streamRings[a], _ringRows[a], _intRings[b], _ringRows[b], _streamRings[node], _ringRows[node], r, r + 1);
                    }
                    else _kernels.Residual(res, _intRings[a], _ringRows[a], _intRings[b], _ringRows[b], _intRings[node], _ringRows[node], r, r + 1);
                    break;
                case LayerKind.GlobalPool:
                    _kernels.Pool((GlobalPoolLayer)layer, _intRings[a], _ringRows[a], _poolSums, r, r + 1);
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
    }
}
