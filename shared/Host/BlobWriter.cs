using System;
using System.IO;
using System.Text;
using OneBit.Runtime.Blob;
using OneBit.Runtime.Model;

namespace OneBit.Runtime.Host
{
    /// <summary>
    /// Serializes a Network's record fields to blob format v1 (CONTRACT.md §8). Host-only: devices only read.
    /// Derived shapes are not written; reading the bytes back re-derives and validates them.
    /// </summary>
    public static class BlobWriter
    {
        public static byte[] Write(Network net)
        {
            if (net == null) throw new ArgumentNullException(nameof(net));
            Layer[] layers = net.Layers ?? Array.Empty<Layer>();
            TestVector[] vectors = net.TestVectors ?? Array.Empty<TestVector>();

            var body = new MemoryStream();
            var w = new BinaryWriter(body);
            Section(w, BlobFormat.TagMeta, s => WriteMeta(s, net));
            foreach (Layer layer in layers) Section(w, BlobFormat.TagLayer, s => WriteLayer(s, layer));
            foreach (TestVector v in vectors)
            {
                Section(w, BlobFormat.TagTestVector, s =>
                {
                    s.Write((uint)v.ExpectedClass);
                    s.Write(v.LogitsCrc);
                    s.Write((uint)v.Pixels.Length);
                    s.Write(v.Pixels);
                });
            }
            w.Flush();

            byte[] blob = new byte[BlobFormat.HeaderSize + body.Length];
            body.ToArray().CopyTo(blob, BlobFormat.HeaderSize);
            Put32(blob, 0, BlobFormat.Magic);
            blob[4] = BlobFormat.Version; blob[5] = 0;
            blob[6] = BlobFormat.HeaderSize; blob[7] = 0;
            Put32(blob, 8, (uint)blob.Length);
            Put32(blob, 16, (uint)layers.Length);
            Put32(blob, 20, (uint)vectors.Length);
            Put32(blob, 12, Crc32.Compute(blob, BlobFormat.CrcCoveredFrom, blob.Length - BlobFormat.CrcCoveredFrom));
            return blob;
        }

        /// <summary>Writes to a temporary file beside <paramref name="path"/> and renames it, so a crash never leaves half a blob.</summary>
        public static void SaveAtomically(string path, byte[] blob)
        {
            string full = Path.GetFullPath(path);
            string temp = full + ".tmp-" + Environment.ProcessId;
            File.WriteAllBytes(temp, blob);
            File.Move(temp, full, overwrite: true);
        }

        private static void Put32(byte[] b, int at, uint v)
        {
            b[at] = (byte)v; b[at + 1] = (byte)(v >> 8); b[at + 2] = (byte)(v >> 16); b[at + 3] = (byte)(v >> 24);
        }

        private static void Section(BinaryWriter w, uint tag, Action<BinaryWriter> payload)
        {
            var ms = new MemoryStream();
            var s = new BinaryWriter(ms);
            payload(s);
            s.Flush();
            w.Write(tag);
            w.Write((uint)ms.Length);
            w.Write(ms.ToArray());
            while (w.BaseStream.Position % 4 != 0) w.Write((byte)0);
        }

        private static void WriteMeta(BinaryWriter s, Network net)
        {
            s.Write((ushort)net.InputHeight);
            s.Write((ushort)net.InputWidth);
            s.Write((ushort)net.InputChannels);
            s.Write((ushort)net.ClassNames.Length);
            s.Write((byte)net.StreamFracBits);
            s.Write((byte)0); s.Write((byte)0); s.Write((byte)0);
            Ascii(s, net.Name ?? "");
            foreach (string name in net.ClassNames) Ascii(s, name);
        }

        private static void Ascii(BinaryWriter s, string text)
        {
            byte[] bytes = Encoding.ASCII.GetBytes(text);
            s.Write((ushort)bytes.Length);
            s.Write(bytes);
        }

        private static void WriteLayer(BinaryWriter s, Layer layer)
        {
            bool affine = layer is QuantizeLayer { Mode: QuantizeLayer.AffineMode };
            bool compact = affine && ((QuantizeLayer)layer).CompactAffine;
            int kind = compact ? LayerKind.QuantizeCompactAffineRecord : affine ? LayerKind.QuantizeAffineRecord : layer.Kind;
            s.Write((byte)kind); s.Write((byte)0); s.Write((ushort)0);
            switch (layer)
            {
                case StemLayer L:
                    U16(s, L.InChannels, L.OutChannels, L.KernelSize, L.PadTop, L.PadLeft, L.Height, L.Width, 0);
                    s.Write(L.Shift);
                    foreach (int v in L.PixelScale) s.Write(v);
                    foreach (int v in L.WeightSumScale) s.Write(v);
                    foreach (uint v in L.Weights) s.Write(v);
                    break;
                case QuantizeLayer L when compact:
                    U16(s, L.Source, L.Bits, L.ZeroCode, L.Rows);
                    s.Write(L.Shift);
                    CompactAffineWriter.Write(s, L);
                    break;
                case QuantizeLayer L when affine:
                    U16(s, L.Source, L.Bits, L.ZeroCode, L.Rows);
                    s.Write(L.Shift);
                    foreach (int v in L.Multipliers) s.Write(v);
                    foreach (long v in L.Offsets) s.Write(v);
                    break;
                case QuantizeLayer L:
                    U16(s, L.Source, L.Bits, L.ZeroCode, L.Rows);
                    foreach (int v in L.Thresholds) s.Write(v);
                    foreach (int v in L.Signs) s.Write((sbyte)v);
                    while (s.BaseStream.Position % 4 != 0) s.Write((byte)0);
                    break;
                case ConvLayer L:
                    U16(s, L.KernelSize, L.Stride, L.PadTop, L.PadLeft, L.InChannels, L.OutChannels);
                    foreach (uint v in L.Weights) s.Write(v);
                    break;
                case ResidualLayer L:
                    U16(s, L.Shortcut, L.PadTop, L.PadLeft, L.Multipliers.Length);
                    s.Write(L.Shift);
                    foreach (int v in L.Multipliers) s.Write(v);
                    break;
                case GlobalPoolLayer L:
                    U16(s, L.Classes, 0);
                    s.Write(L.Shift);
                    foreach (int v in L.Scale) s.Write(v);
                    foreach (long v in L.Offset) s.Write(v);
                    break;
                default:
                    throw new ArgumentException("cannot write layer kind " + layer.Kind);
            }
        }

        private static void U16(BinaryWriter s, params int[] values)
        {
            foreach (int v in values) s.Write(checked((ushort)v));
        }
    }
}
