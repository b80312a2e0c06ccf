using OneBit.Runtime.Model;

namespace OneBit.Runtime.Blob
{
    /// <summary>Reads and validates one LAYR payload per kind (field lists: CONTRACT.md §8).</summary>
    internal static class LayerRecordReader
    {
        /// <summary>|acc| must stay below this so that 64-bit products and int32 sums never overflow.</summary>
        private const long AccumulatorBound = 1L << 30;

        public static StemLayer Stem(ByteReader r, ShapeTracker s)
        {
            Network net = s.Net;
            StemLayer L = new StemLayer();
            L.InChannels = Field(r, 1, 3, "stem input channels");
            L.OutChannels = Field(r, 1, BlobFormat.MaxChannels, "stem output channels");
            L.KernelSize = KernelField(r, "stem kernel size");
            L.PadTop = Field(r, 0, L.KernelSize - 1, "stem top padding");
            L.PadLeft = Field(r, 0, L.KernelSize - 1, "stem left padding");
            int at = r.Position;
            L.Height = r.U16("stem height");
            L.Width = r.U16("stem width");
            if (L.InChannels != net.InputChannels || L.Height != net.InputHeight || L.Width != net.InputWidth)
            {
                throw r.FailAt(at, "stem input " + Shape(L.Height, L.Width, L.InChannels) + " differs from the network input " +
                    Shape(net.InputHeight, net.InputWidth, net.InputChannels));
            }
            Zero16(r);
            L.Shift = ShiftField(r, "stem shift");
            L.PixelScale = r.I32Array(L.InChannels, "stem pixel scales");
            L.WeightSumScale = r.I32Array(L.InChannels, "stem weight-sum scales");
            L.Weights = Weights(r, L.OutChannels, L.KernelSize, L.InChannels, "stem weights");
            s.AddParameters(4L * (L.Weights.Length + 2 * L.InChannels) + 4);
            s.SetStream(r, L.Height, L.Width, L.OutChannels);
            return L;
        }

        /// <param name="record">Record kind 2 (threshold tables), 6 (affine: i32 multipliers, i64 offsets) or 7 (compact
        /// affine: 24-bit multipliers and offsets B' with B = B'·2^k). 6 and 7 give the same layer fields.</param>
        public static QuantizeLayer Quantize(ByteReader r, ShapeTracker s, int record)
        {
            bool affine = record != LayerKind.Quantize;
            QuantizeLayer L = new QuantizeLayer();
            L.Mode = affine ? QuantizeLayer.AffineMode : QuantizeLayer.ThresholdMode;
            int at = r.Position;
            L.Source = Field(r, 0, 1, "quantize source");
            int h, w, c;
            if (L.Source == QuantizeLayer.FromStream)
            {
                if (s.StreamC == 0) throw r.FailAt(at, "quantize reads the stream, which no earlier layer wrote");
                h = s.StreamH; w = s.StreamW; c = s.StreamC;
            }
            else
            {
                if (s.AccC == 0) throw r.FailAt(at, "quantize reads the accumulator, which no earlier conv wrote");
                h = s.AccH; w = s.AccW; c = s.AccC;
            }
            at = r.Position;
            L.Bits = r.U16("activation bits");
            if (!BitConvention.IsSupportedActivationBits(L.Bits))
            {
                throw r.FailAt(at, "activation bits " + L.Bits.ToString() + " unsupported: 1, 2, 4 or 8");
            }
            L.ZeroCode = r.U16("zero code");
            at = r.Position;
            L.Rows = r.U16("threshold rows");
            if (L.Rows != 1 && L.Rows != c)
            {
                throw r.FailAt(at, "threshold rows " + L.Rows.ToString() + " must be 1 or the channel count " + c.ToString());
            }
            L.Height = h; L.Width = w; L.Channels = c;
            if (affine)
            {
                L.Shift = ShiftField(r, "quantize shift");
                if (record == LayerKind.QuantizeCompactAffineRecord) CompactAffine(r, L);
                else
                {
                    L.Multipliers = r.I32Array(L.Rows, "quantize multipliers");
                    L.Offsets = r.I64Array(L.Rows, "quantize offsets");
                }
                // Both forms decode to the same arrays (int32 M, int64 B: what the kernels read) and shift.
                s.AddParameters(12L * L.Rows + 4);
                s.SetActivation(r, h, w, c, L.Bits, L.ZeroCode);
                return L;
            }
            int per = L.ThresholdsPerRow;
            at = r.Position;
            L.Thresholds = r.I32Array(L.Rows * per, "thresholds");
            for (int row = 0; row < L.Rows; row++)
            {
                for (int k = 1; k < per; k++)
                {
                    if (L.Thresholds[row * per + k] < L.Thresholds[row * per + k - 1])
                    {
                        throw r.FailAt(at + 4 * (row * per + k), "thresholds of row " + row.ToString() + " decrease at level " + (k + 1).ToString());
                    }
                }
            }
            int[] signs = new int[L.Rows];
            r.Require(L.Rows, "threshold signs");
            for (int row = 0; row < L.Rows; row++)
            {
                int b = r.U8("threshold sign");
                if (b != 1 && b != 0xFF) throw r.FailAt(r.Position - 1, "threshold sign of row " + row.ToString() + " is " + b.ToString() + ", must be +1 or -1");
                signs[row] = b == 1 ? 1 : -1;
            }
            L.Signs = signs;
            r.SkipPadding("threshold signs");
            s.AddParameters(4L * L.Thresholds.Length + 4L * L.Rows);
            s.SetActivation(r, h, w, c, L.Bits, L.ZeroCode);
            return L;
        }

        /// <summary>
        /// Record kind 7 after the shift: k (0…40), M[rows] and B'[rows] as signed 24-bit, B = B'·2^k (CONTRACT.md §8).
        /// |B| &lt; 2^63, so the decoded offsets are exact int64 values.
        /// </summary>
        private static void CompactAffine(ByteReader r, QuantizeLayer L)
        {
            int at = r.Position;
            int k = r.I32("quantize offset shift");
            if (k < 0 || k > BlobFormat.MaxOffsetShift)
            {
                throw r.FailAt(at, "quantize offset shift " + k.ToString() + " outside 0.." + BlobFormat.MaxOffsetShift.ToString());
            }
            L.CompactAffine = true;
            L.OffsetShift = k;
            L.Multipliers = r.I24Array(L.Rows, "quantize multipliers (24-bit)");
            int[] scaled = r.I24Array(L.Rows, "quantize offsets (24-bit)");
            long[] offsets = new long[L.Rows];
            for (int i = 0; i < offsets.Length; i++) offsets[i] = (long)scaled[i] << k;
            L.Offsets = offsets;
        }

        public static ConvLayer Conv(ByteReader r, ShapeTracker s)
        {
            ConvLayer L = new ConvLayer();
            int at = r.Position;
            if (s.ActC == 0) throw r.FailAt(at, "conv reads activation planes, which no earlier quantize wrote");
            L.KernelSize = KernelField(r, "conv kernel size");
            L.Stride = Field(r, 1, 2, "conv stride");
            L.PadTop = Field(r, 0, L.KernelSize - 1, "conv top padding");
            L.PadLeft = Field(r, 0, L.KernelSize - 1, "conv left padding");
            at = r.Position;
            L.InChannels = r.U16("conv input channels");
            if (L.InChannels != s.ActC)
            {
                throw r.FailAt(at, "conv expects " + L.InChannels.ToString() + " input channels, the activation has " + s.ActC.ToString());
            }
            L.OutChannels = Field(r, 1, BlobFormat.MaxChannels, "conv output channels");
            long bound = (long)L.KernelSize * L.KernelSize * L.InChannels * (2L * ((1 << s.ActBits) - 1) + s.ActZero);
            if (bound >= AccumulatorBound)
            {
                throw r.Fail("accumulator bound " + bound.ToString() + " reaches 2^30 (too many channels for this bit width and zero code)");
            }
            L.Weights = Weights(r, L.OutChannels, L.KernelSize, L.InChannels, "conv weights");
            L.InHeight = s.ActH; L.InWidth = s.ActW;
            L.OutHeight = (s.ActH + L.Stride - 1) / L.Stride;
            L.OutWidth = (s.ActW + L.Stride - 1) / L.Stride;
            L.Bits = s.ActBits; L.ZeroCode = s.ActZero;
            s.AddParameters(4L * L.Weights.Length);
            s.SetAccumulator(r, L.OutHeight, L.OutWidth, L.OutChannels);
            return L;
        }

        public static ResidualLayer Residual(ByteReader r, ShapeTracker s)
        {
            ResidualLayer L = new ResidualLayer();
            int at = r.Position;
            if (s.StreamC == 0 || s.AccC == 0) throw r.FailAt(at, "residual needs the stream and a conv accumulator");
            L.Shortcut = Field(r, 0, 1, "shortcut kind");
            L.PadTop = Field(r, 0, 2, "shortcut top padding");
            L.PadLeft = Field(r, 0, 2, "shortcut left padding");
            int stride = L.Shortcut == ResidualLayer.Identity ? 1 : 2;
            int oh = (s.StreamH + stride - 1) / stride, ow = (s.StreamW + stride - 1) / stride;
            if (s.AccH != oh || s.AccW != ow || s.AccC < s.StreamC)
            {
                throw r.FailAt(at, "shortcut of stream " + Shape(s.StreamH, s.StreamW, s.StreamC) + " gives " + oh.ToString() + "x" + ow.ToString() +
                    " with at least " + s.StreamC.ToString() + " channels, but the accumulator is " + Shape(s.AccH, s.AccW, s.AccC));
            }
            at = r.Position;
            int rows = r.U16("multiplier rows");
            if (rows != 1 && rows != s.AccC) throw r.FailAt(at, "multiplier rows " + rows.ToString() + " must be 1 or " + s.AccC.ToString());
            L.Shift = ShiftField(r, "residual shift");
            L.Multipliers = r.I32Array(rows, "residual multipliers");
            L.InHeight = s.StreamH; L.InWidth = s.StreamW; L.InChannels = s.StreamC;
            L.OutHeight = oh; L.OutWidth = ow; L.OutChannels = s.AccC;
            s.AddParameters(4L * rows + 4);
            s.SetStream(r, oh, ow, s.AccC);
            return L;
        }

        public static GlobalPoolLayer GlobalPool(ByteReader r, ShapeTracker s)
        {
            GlobalPoolLayer L = new GlobalPoolLayer();
            int at = r.Position;
            if (s.AccC == 0) throw r.FailAt(at, "global pool needs a conv accumulator");
            L.Classes = r.U16("classes");
            if (L.Classes != s.AccC || L.Classes != s.Net.ClassCount)
            {
                throw r.FailAt(at, "global pool over " + L.Classes.ToString() + " classes, but the accumulator has " + s.AccC.ToString() +
                    " channels and the network " + s.Net.ClassCount.ToString() + " classes");
            }
            Zero16(r);
            L.Shift = ShiftField(r, "pool shift");
            L.Scale = r.I32Array(L.Classes, "class scales");
            L.Offset = r.I64Array(L.Classes, "class offsets");
            L.Height = s.AccH; L.Width = s.AccW;
            s.AddParameters(12L * L.Classes + 4);
            return L;
        }

        private static uint[] Weights(ByteReader r, int cout, int k, int cin, string what)
        {
            int wpc = BitConvention.WordsFor(cin);
            long words = BlobReader.CheckedElements(r, (long)cout * k * k * wpc, what);
            int at = r.Position;
            uint[] weights = r.U32Array((int)words, what);
            uint unused = ~BitConvention.LastWordMask(cin);
            for (long i = wpc - 1; i < words; i += wpc)
            {
                if ((weights[i] & unused) != 0)
                {
                    throw r.FailAt(at + (int)(4 * i), what + " set padding bits beyond channel " + cin.ToString() + " (they must be zero)");
                }
            }
            return weights;
        }

        private static int Field(ByteReader r, int min, int max, string what)
        {
            int at = r.Position;
            int v = r.U16(what);
            if (v < min || v > max) throw r.FailAt(at, what + " " + v.ToString() + " outside " + min.ToString() + ".." + max.ToString());
            return v;
        }

        private static int KernelField(ByteReader r, string what)
        {
            int at = r.Position;
            int k = r.U16(what);
            if (k != 1 && k != 3) throw r.FailAt(at, what + " " + k.ToString() + " unsupported: 1 or 3");
            return k;
        }

        private static int ShiftField(ByteReader r, string what)
        {
            int at = r.Position;
            int v = r.I32(what);
            if (v < 0 || v > BlobFormat.MaxShift) throw r.FailAt(at, what + " " + v.ToString() + " outside 0.." + BlobFormat.MaxShift.ToString());
            return v;
        }

        private static void Zero16(ByteReader r)
        {
            if (r.U16("reserved") != 0) throw r.FailAt(r.Position - 2, "reserved field is not zero");
        }

        private static string Shape(int h, int w, int c)
        {
            return h.ToString() + "x" + w.ToString() + "x" + c.ToString();
        }
    }
}
