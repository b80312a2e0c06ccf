using System;
using OneBit.Runtime.Kernels;
using OneBit.Runtime.Kernels.Reference;
using OneBit.Runtime.Kernels.Tuned;
using OneBit.Runtime.Model;

namespace OneBit.Runtime.Execution
{
    /// <summary>
    /// Executes a parsed network frame by frame (CONTRACT.md §7). All buffers are allocated here, once, with
    /// the sizes the reader derived; Run neither allocates nor re-validates (the reader already did).
    /// Not thread-safe: one runner per thread.
    /// </summary>
    public sealed class NetworkRunner : IFrameClassifier
    {
        private readonly Network _net;
        private readonly IBinaryConvKernel _conv;
        private int[] _stream;
        private int[] _nextStream;
        private readonly uint[] _planes;
        private readonly int[] _acc;
        private readonly int[] _logits;
        private readonly bool _tuned;
        private readonly TunedStem _stem;

        public NetworkRunner(Network network) : this(network, BinaryConvReference.Instance)
        {
        }

        public NetworkRunner(Network network, IBinaryConvKernel convKernel) : this(network, convKernel, false)
        {
        }

        /// <param name="tunedLayers">
        /// True: the stem, quantize and residual layers run the interpreter-tuned kernels of shared/Kernels/Tuned
        /// (bit-exact with the reference ones; the stem's tables are built here); false: the reference kernels.
        /// For the tuned conv too, pass <c>new TunedBinaryConv(network)</c> as <paramref name="convKernel"/>.
        /// </param>
        public NetworkRunner(Network network, IBinaryConvKernel convKernel, bool tunedLayers)
        {
            if (network == null) throw new ArgumentNullException("network");
            if (convKernel == null) throw new ArgumentNullException("convKernel");
            _net = network;
            _conv = convKernel;
            _stream = new int[network.MaxStreamInts];
            _nextStream = new int[network.MaxStreamInts];
            _planes = new uint[network.MaxActivationWords];
            _acc = new int[network.MaxAccumulatorInts];
            _logits = new int[network.ClassCount];
            _tuned = tunedLayers;
            if (tunedLayers) _stem = new TunedStem(network);
        }

        /// <summary>
        /// Heap of a whole-frame runner with every tuned kernel whose conv plans took over the weights
        /// (<c>new NetworkRunner(net, TunedBinaryConv.TakingOverWeights(net), true)</c>, the device app's choice when it
        /// fits): parameters without the blob-layout conv weights, the plans, the whole-frame buffers
        /// (<see cref="Network.WorkingMemoryBytes"/>) and the tuned stem's tables. Array payloads, as every such sum here.
        /// </summary>
        public static long TunedDeviceBytes(Network network)
        {
            return network.ParameterBytes - TunedBinaryConv.SourceWeightBytes(network) + TunedBinaryConv.PlanBytes(network)
                + network.WorkingMemoryBytes + TunedStem.PlanBytes(network);
        }

        /// <summary>Stem, quantize and residual on the tuned kernels and the conv on <see cref="TunedBinaryConv"/>.</summary>
        public static NetworkRunner Tuned(Network network)
        {
            return new NetworkRunner(network, new TunedBinaryConv(network), true);
        }

        public Network Network { get { return _net; } }

        /// <summary>Optional quantizer for every quantize layer (a host's SIMD kernel); null: the tuned or reference one.</summary>
        public IQuantizeKernel Quantizer;

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
            for (int i = 0; i < layers.Length; i++)
            {
                Layer layer = layers[i];
                switch (layer.Kind)
                {
                    case LayerKind.Stem:
                        if (_tuned) _stem.Run((StemLayer)layer, pixels, _stream);
                        else StemConvReference.Run((StemLayer)layer, pixels, _stream);
                        break;
                    case LayerKind.Quantize:
                        QuantizeLayer q = (QuantizeLayer)layer;
                        if (Quantizer != null) Quantizer.Run(q, q.Source == QuantizeLayer.FromStream ? _stream : _acc, _planes);
                        else if (_tuned && q.Mode == QuantizeLayer.ThresholdMode) TunedQuantize.Run(q, q.Source == QuantizeLayer.FromStream ? _stream : _acc, _planes);
                        else QuantizeReference.Run(q, q.Source == QuantizeLayer.FromStream ? _stream : _acc, _planes);
                        break;
                    case LayerKind.Conv:
                        ConvLayer conv = (ConvLayer)layer;
                        _conv.Run(conv, _planes, conv.InHeight, _acc, conv.OutHeight, 0, conv.OutHeight);
                        break;
                    case LayerKind.Residual:
                        ResidualLayer res = (ResidualLayer)layer;
                        if (_tuned) TunedResidual.Run(res, _stream, _acc, _nextStream);
                        else
                        {
                            ResidualReference.Run(res, _stream, _acc, _nextStream);
                        }
                        int[] t = _stream;
                        _stream = _nextStream;
                        _nextStream = t;
                        break;
                    case LayerKind.GlobalPool:
                        GlobalPoolReference.Run((GlobalPoolLayer)layer, _acc, _logits);
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
