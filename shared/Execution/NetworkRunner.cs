using System;
using OneBit.Runtime.Kernels;
using OneBit.Runtime.Kernels.Reference;
using OneBit.Runtime.Model;

namespace OneBit.Runtime.Execution
{
    /// <summary>
    /// Executes a parsed network frame by frame (CONTRACT.md §7), layer by layer over whole tensors, through the
    /// row-range entry points of a <see cref="LayerKernels"/> called for all rows at once. All buffers are allocated
    /// here, once, with the sizes the reader derived (<see cref="Network.WorkingMemoryBytes"/>); Run neither allocates
    /// nor re-validates (the reader already did). Not thread-safe: one runner per thread, with its own kernels.
    /// </summary>
    public sealed class NetworkRunner : IFrameClassifier
    {
        private readonly Network _net;
        private readonly LayerKernels _kernels;
        private int[] _stream;
        private int[] _nextStream;
        private readonly uint[] _planes;
        private readonly int[] _acc;
        private readonly long[] _poolSums;
        private readonly int[] _logits;

        /// <summary>The reference kernels.</summary>
        public NetworkRunner(Network network) : this(network, ReferenceKernelSet.Instance)
        {
        }

        /// <summary>The set's kernels for whole frames, the network's weights kept.</summary>
        public NetworkRunner(Network network, KernelSet kernels) : this(network, kernels.For(network, false, false))
        {
        }

        /// <param name="kernels">The network's kernels (KernelSet.For).</param>
        public NetworkRunner(Network network, LayerKernels kernels)
        {
            if (network == null) throw new ArgumentNullException("network");
            if (kernels == null) throw new ArgumentNullException("kernels");
            _net = network;
            _kernels = kernels;
            _stream = new int[network.MaxStreamInts];
            _nextStream = new int[network.MaxStreamInts];
            _planes = new uint[network.MaxActivationWords];
            _acc = new int[network.MaxAccumulatorInts];
            _poolSums = new long[network.ClassCount];
            _logits = new int[network.ClassCount];
        }

        public Network Network { get { return _net; } }

        /// <summary>The kernels' set name.</summary>
        public string KernelName { get { return _kernels.Name; } }

        /// <summary>Optional; called after every layer. Leave null on the device.</summary>
        public ILayerObserver Observer;

        /// <summary>Logits of the last frame; owned by the runner and overwritten by the next Run.</summary>
        public int[] Logits { get { return _logits; } }

        /// <summary>Classifies one frame of InputHeight×InputWidth×InputChannels bytes (HWC) and returns the class.</summary>
        public int Run(byte[] pixels)
        {
            if (pixels == null || pixels.Length != _net.InputBytes)
            {
                throw new ArgumentException("a frame must have " + _net.InputBytes.ToString() + " bytes (HxWxC)");
            }
            Layer[] layers = _net.Layers;
            LayerKernels k = _kernels;
            for (int i = 0; i < layers.Length; i++)
            {
                Layer layer = layers[i];
                switch (layer.Kind)
                {
                    case LayerKind.Stem:
                        StemLayer stem = (StemLayer)layer;
                        k.Stem(stem, pixels, _stream, stem.Height, 0, stem.Height);
                        break;
                    case LayerKind.Quantize:
                        QuantizeLayer q = (QuantizeLayer)layer;
                        k.Quantize(q, q.Source == QuantizeLayer.FromStream ? _stream : _acc, q.Height, _planes, q.Height, 0, q.Height);
                        break;
                    case LayerKind.Conv:
                        ConvLayer conv = (ConvLayer)layer;
                        k.Conv(conv, _planes, conv.InHeight, _acc, conv.OutHeight, 0, conv.OutHeight);
                        break;
                    case LayerKind.Residual:
                        ResidualLayer res = (ResidualLayer)layer;
                        k.Residual(res, _stream, res.InHeight, _acc, res.OutHeight, _nextStream, res.OutHeight, 0, res.OutHeight);
                        int[] t = _stream;
                        _stream = _nextStream;
                        _nextStream = t;
                        break;
                    case LayerKind.GlobalPool:
                        GlobalPoolLayer pool = (GlobalPoolLayer)layer;
                        k.PoolBegin(pool, _poolSums);
                        k.Pool(pool, _acc, pool.Height, _poolSums, 0, pool.Height);
                        k.PoolFinish(pool, _poolSums, _logits);
                        break;
                }
                if (Observer != null) Observer.AfterLayer(i, _stream, _planes, _acc, _logits);
            }
            return ArgMax.Of(_logits, _logits.Length);
        }

        /// <summary>CRC-32 of the current logits as int32 little-endian (what test vectors store).</summary>
        public uint LogitsChecksum()
        {
            uint state = Crc32.Start();
            for (int i = 0; i < _logits.Length; i++) state = Crc32.UpdateInt32(state, _logits[i]);
            return Crc32.Finish(state);
        }
    }
}
