using System;
using OneBit.Runtime.Model;

namespace OneBit.Runtime.Blob
{
    /// <summary>
    /// Parses and validates a v1 blob once, at load (CONTRACT.md §8). Every size is checked against the bytes
    /// that remain before anything is allocated, and record shapes are checked against the shapes the previous
    /// records produce, so a Network that comes out of here can be run without further checks.
    /// </summary>
    public static class BlobReader
    {
        private const long MaxTensorElements = 1L << 28;

        public static Network Read(byte[] data)
        {
            return Read(data, BlobFormat.DefaultMemoryBudget);
        }

        /// <param name="memoryBudgetBytes">Largest parameters + working memory the caller can afford.</param>
        public static Network Read(byte[] data, long memoryBudgetBytes)
        {
            if (data == null) throw new ArgumentNullException("data");
            CheckLength(data.Length);
            return Parse(new ByteReader(data, 0, data.Length), data.Length, data, null, memoryBudgetBytes);
        }

        /// <summary>
        /// Parses a blob read in pages of <paramref name="pageBytes"/> from <paramref name="source"/>, so the blob is
        /// never in RAM as a whole: one pass computes the CRC, a second parses, holding one page at a time. The test
        /// vectors' pixels stay in the source (TestVector.Pixels is null, TestVector.PixelOffset says where they are;
        /// <see cref="Execution.SelfTest.Run(Execution.IFrameClassifier, IBlobSource)"/> fetches them one at a time).
        /// Same validation and the same network as <see cref="Read(byte[], long)"/> otherwise.
        /// </summary>
        public static Network Read(IBlobSource source, long memoryBudgetBytes, int pageBytes)
        {
            if (source == null) throw new ArgumentNullException("source");
            if (pageBytes < 16) throw new ArgumentOutOfRangeException("pageBytes", "at least 16");
            int length = source.Length;
            CheckLength(length);
            return Parse(new ByteReader(source, pageBytes, 0, length), length, null, source, memoryBudgetBytes);
        }

        private static void CheckLength(int length)
        {
            if (length < BlobFormat.HeaderSize)
            {
                throw new BlobFormatException("truncated: the file has " + length.ToString() +
                    " bytes, the header alone needs " + BlobFormat.HeaderSize.ToString(), length, -1);
            }
        }

        private static uint SourceCrc(IBlobSource source, int pageBytes, int from, int length)
        {
            uint state = Crc32.Start();
            for (int at = from; at < length; at += pageBytes)
            {
                int count = length - at < pageBytes ? length - at : pageBytes;
                byte[] page = source.Read(at, count);
                state = Crc32.Update(state, page, 0, count);
            }
            return Crc32.Finish(state);
        }

        /// <summary>Exactly one of <paramref name="data"/> and <paramref name="source"/> is given.</summary>
        private static Network Parse(ByteReader r, int length, byte[] data, IBlobSource source, long memoryBudgetBytes)
        {
            uint magic = r.U32("magic");
            if (magic != BlobFormat.Magic)
            {
                throw new BlobFormatException("bad magic '" + BlobFormat.TagName(magic) +
                    "', expected 'OBNB': this is not a OneBit model blob (make one with `onebit convert`)", 0, -1);
            }
            int version = r.U16("version");
            if (version != BlobFormat.Version)
            {
                throw new BlobFormatException("unknown format version " + version.ToString() + ": this runtime reads version " +
                    BlobFormat.Version.ToString() + ". Re-run `onebit convert` with host-tools matching this runtime, or update the runtime to one that reads version " +
                    version.ToString(), 4, -1);
            }
            int headerSize = r.U16("header size");
            if (headerSize != BlobFormat.HeaderSize)
            {
                throw new BlobFormatException("header size " + headerSize.ToString() + " differs from " + BlobFormat.HeaderSize.ToString() + " of version 1", 6, -1);
            }
            uint total = r.U32("total size");
            if (total != (uint)length)
            {
                string what = total > (uint)length
                    ? "truncated: the header declares " + total.ToString() + " bytes but the file has " + length.ToString()
                    : "the file has " + length.ToString() + " bytes but the header declares " + total.ToString() + " (trailing data)";
                throw new BlobFormatException(what, 8, -1);
            }
            uint storedCrc = r.U32("CRC");
            uint actualCrc = data != null
                ? Crc32.Compute(data, BlobFormat.CrcCoveredFrom, length - BlobFormat.CrcCoveredFrom)
                : SourceCrc(source, r.PageBytes, BlobFormat.CrcCoveredFrom, length);
            if (storedCrc != actualCrc)
            {
                throw new BlobFormatException("CRC mismatch: stored 0x" + storedCrc.ToString("X8") + ", computed 0x" +
                    actualCrc.ToString("X8") + ": the file is corrupted (copy or convert it again)", 12, -1);
            }
            int maxRecords = (length - BlobFormat.HeaderSize) / 8;
            int layerCount = CountField(r, maxRecords, "layer count");
            int vectorCount = CountField(r, maxRecords, "test vector count");
            for (int i = 0; i < 2; i++)
            {
                if (r.U32("reserved") != 0) throw r.FailAt(r.Position - 4, "reserved header field is not zero");
            }

            Network net = new Network();
            ReadMeta(r, net);

            ShapeTracker shapes = new ShapeTracker(net);
            Layer[] layers = new Layer[layerCount];
            for (int i = 0; i < layerCount; i++)
            {
                r.LayerIndex = i;
                layers[i] = ReadLayer(r, shapes, i, layerCount);
                layers[i].Index = i;
            }
            r.LayerIndex = -1;
            if (layerCount == 0) throw r.Fail("the blob has no layers");
            net.Layers = layers;

            TestVector[] vectors = new TestVector[vectorCount];
            for (int i = 0; i < vectorCount; i++) vectors[i] = ReadTestVector(r, net, i, source == null);
            net.TestVectors = vectors;

            if (r.Position != length) throw r.Fail("unexpected data after the last section");

            shapes.Finish();
            long needed = net.ParameterBytes + net.WorkingMemoryBytes;
            if (needed > memoryBudgetBytes)
            {
                throw new BlobFormatException("needs " + needed.ToString() + " bytes (parameters " + net.ParameterBytes.ToString() +
                    " + working memory " + net.WorkingMemoryBytes.ToString() + "), more than the budget of " +
                    memoryBudgetBytes.ToString() + " bytes", -1, -1);
            }
            return net;
        }

        private static int CountField(ByteReader r, int max, string what)
        {
            int at = r.Position;
            uint v = r.U32(what);
            if (v > (uint)max) throw r.FailAt(at, what + " " + v.ToString() + " is impossible for a file of this size");
            return (int)v;
        }

        /// <summary>Checks a section's tag, narrows reads to its payload and returns the old limit.</summary>
        private static int OpenSection(ByteReader r, uint tag, string what)
        {
            int at = r.Position;
            uint found = r.U32(what + " tag");
            if (found != tag)
            {
                throw r.FailAt(at, "expected a " + BlobFormat.TagName(tag) + " section (" + what + "), found tag '" + BlobFormat.TagName(found) + "'");
            }
            int lengthAt = r.Position;
            uint length = r.U32(what + " length");
            if (length > (uint)r.Remaining)
            {
                throw r.FailAt(lengthAt, "truncated: " + what + " declares " + length.ToString() + " bytes, " + r.Remaining.ToString() + " remain");
            }
            return r.PushLimit((int)length, what);
        }

        private static void CloseSection(ByteReader r, int oldLimit, string what)
        {
            if (r.Remaining != 0) throw r.Fail(what + " has " + r.Remaining.ToString() + " bytes more than its fields use");
            r.PopLimit(oldLimit);
            r.SkipPadding(what);
        }

        private static void ReadMeta(ByteReader r, Network net)
        {
            int old = OpenSection(r, BlobFormat.TagMeta, "metadata");
            net.InputHeight = Ranged(r, r.U16("input height"), 1, BlobFormat.MaxSpatial, "input height");
            net.InputWidth = Ranged(r, r.U16("input width"), 1, BlobFormat.MaxSpatial, "input width");
            int channelsAt = r.Position;
            net.InputChannels = r.U16("input channels");
            if (net.InputChannels != 1 && net.InputChannels != 3)
            {
                throw r.FailAt(channelsAt, "input channels " + net.InputChannels.ToString() + " unsupported: 1 (gray) or 3 (RGB)");
            }
            int classes = Ranged(r, r.U16("class count"), 1, BlobFormat.MaxClasses, "class count");
            net.StreamFracBits = Ranged(r, r.U8("stream fraction bits"), 0, BlobFormat.MaxStreamFracBits, "stream fraction bits");
            for (int i = 0; i < 3; i++)
            {
                if (r.U8("reserved") != 0) throw r.FailAt(r.Position - 1, "reserved metadata byte is not zero");
            }
            net.Name = r.AsciiString("model name");
            r.Require(classes * 2, "class names");
            string[] names = new string[classes];
            for (int i = 0; i < classes; i++) names[i] = r.AsciiString("class name " + i.ToString());
            net.ClassNames = names;
            CloseSection(r, old, "metadata");
        }

        private static int Ranged(ByteReader r, int value, int min, int max, string what)
        {
            if (value < min || value > max)
            {
                throw r.Fail(what + " " + value.ToString() + " outside " + min.ToString() + ".." + max.ToString());
            }
            return value;
        }

        private static Layer ReadLayer(ByteReader r, ShapeTracker shapes, int index, int count)
        {
            int old = OpenSection(r, BlobFormat.TagLayer, "layer record");
            int kindAt = r.Position;
            int kind = r.U8("layer kind");
            for (int i = 0; i < 3; i++)
            {
                if (r.U8("reserved") != 0) throw r.FailAt(r.Position - 1, "reserved layer byte is not zero");
            }
            if (index == 0 && kind != LayerKind.Stem) throw r.FailAt(kindAt, "the first layer must be the stem, found " + LayerKind.Name(kind));
            if (index > 0 && kind == LayerKind.Stem) throw r.FailAt(kindAt, "a stem may only be the first layer");
            if (index == count - 1 && kind != LayerKind.GlobalPool) throw r.FailAt(kindAt, "the last layer must be the global pool, found " + LayerKind.Name(kind));
            if (index < count - 1 && kind == LayerKind.GlobalPool) throw r.FailAt(kindAt, "the global pool may only be the last layer");

            Layer layer;
            switch (kind)
            {
                case LayerKind.Stem: layer = LayerRecordReader.Stem(r, shapes); break;
                case LayerKind.Quantize:
                case LayerKind.QuantizeAffineRecord:
                case LayerKind.QuantizeCompactAffineRecord: layer = LayerRecordReader.Quantize(r, shapes, kind); break;
                case LayerKind.Conv: layer = LayerRecordReader.Conv(r, shapes); break;
                case LayerKind.Residual: layer = LayerRecordReader.Residual(r, shapes); break;
                case LayerKind.GlobalPool: layer = LayerRecordReader.GlobalPool(r, shapes); break;
                default: throw r.FailAt(kindAt, "unknown layer kind " + kind.ToString() + " (v1 knows 1..7)");
            }
            CloseSection(r, old, "layer record");
            return layer;
        }

        private static TestVector ReadTestVector(ByteReader r, Network net, int index, bool loadPixels)
        {
            string what = "test vector " + index.ToString();
            int old = OpenSection(r, BlobFormat.TagTestVector, what);
            TestVector v = new TestVector();
            int at = r.Position;
            uint cls = r.U32(what + " class");
            if (cls >= (uint)net.ClassCount) throw r.FailAt(at, what + " expects class " + cls.ToString() + " of " + net.ClassCount.ToString());
            v.ExpectedClass = (int)cls;
            v.LogitsCrc = r.U32(what + " checksum");
            at = r.Position;
            uint pixels = r.U32(what + " pixel count");
            if (pixels != (uint)net.InputBytes)
            {
                throw r.FailAt(at, what + " has " + pixels.ToString() + " pixel bytes, the input needs " + net.InputBytes.ToString());
            }
            v.PixelOffset = r.Position;
            if (loadPixels)
            {
                v.Pixels = r.Bytes((int)pixels, what + " pixels");
            }
            else
            {
                r.Require((int)pixels, what + " pixels");
                r.Position += (int)pixels;
            }
            CloseSection(r, old, what);
            return v;
        }

        internal static long CheckedElements(ByteReader r, long elements, string what)
        {
            if (elements <= 0 || elements > MaxTensorElements)
            {
                throw r.Fail(what + " would hold " + elements.ToString() + " elements: impossible size");
            }
            return elements;
        }
    }
}
