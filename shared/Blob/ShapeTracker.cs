using OneBit.Runtime.Model;

namespace OneBit.Runtime.Blob
{
    /// <summary>
    /// Walks the execution model of CONTRACT.md §7 while records are read: which buffer holds a tensor of
    /// which shape, and the largest size each buffer reaches (the runner's allocation).
    /// </summary>
    internal sealed class ShapeTracker
    {
        public readonly Network Net;

        public int StreamH, StreamW, StreamC;       // StreamC == 0: no stream yet
        public int ActH, ActW, ActC, ActBits, ActZero;
        public int AccH, AccW, AccC;

        private long _maxStream, _maxAct, _maxAcc, _params;
        private int _maxBits;

        public ShapeTracker(Network net)
        {
            Net = net;
        }

        public void SetStream(ByteReader r, int h, int w, int c)
        {
            long n = BlobReader.CheckedElements(r, (long)h * w * c, "the residual stream");
            StreamH = h; StreamW = w; StreamC = c;
            if (n > _maxStream) _maxStream = n;
        }

        public void SetActivation(ByteReader r, int h, int w, int c, int bits, int zero)
        {
            long n = BlobReader.CheckedElements(r, (long)h * w * bits * BitConvention.WordsFor(c), "the activation planes");
            ActH = h; ActW = w; ActC = c; ActBits = bits; ActZero = zero;
            if (n > _maxAct) _maxAct = n;
            if (bits > _maxBits) _maxBits = bits;
        }

        public void SetAccumulator(ByteReader r, int h, int w, int c)
        {
            long n = BlobReader.CheckedElements(r, (long)h * w * c, "the accumulator");
            AccH = h; AccW = w; AccC = c;
            if (n > _maxAcc) _maxAcc = n;
        }

        public void AddParameters(long bytes)
        {
            _params += bytes;
        }

        public void Finish()
        {
            Net.MaxStreamInts = (int)_maxStream;
            Net.MaxActivationWords = (int)_maxAct;
            Net.MaxAccumulatorInts = (int)_maxAcc;
            Net.ParameterBytes = _params;
            Net.ActivationBits = _maxBits;
        }
    }
}
