using System;
using OneBit.Runtime;
using OneBit.Runtime.Blob;
using OneBit.Runtime.Model;

namespace OneBit.Bench
{
    /// <summary>
    /// Writes the blob (CONTRACT.md §8) of a seeded random resnet_srelu network (DESIGN.md §2): stem 3×3 → 3 stages of
    /// n blocks (quantize, conv3×3 stride s, quantize, conv3×3, residual; the first block of stages 2 and 3 has stride 2
    /// and the average-pool shortcut) → quantize → conv1×1 → global pool; depth 6n + 2, widths w, 2w, 4w.
    /// The device cannot use shared/Host (host-only), so this small writer lives here; BlobReader then validates the
    /// bytes and derives the shapes, exactly as for a converted model. Thresholds are set so that levels are roughly
    /// balanced; the values only matter to make the timing representative (the kernels are branch-free in the hot loops).
    /// </summary>
    public static class SyntheticModel
    {
        private static byte[] _buf;
        private static int _len;
        private static uint _seed;

        public static byte[] Make(string name, int size, int depth, int width, int bits, int classes, uint seed)
        {
            _buf = new byte[4096];
            _len = 32;                                 // header, filled in at the end
            _seed = seed;
            int n = (depth - 2) / 6, zero = (1 << bits) - 1, levels = 1 << bits;
            int layers = 1 + 3 * n * 5 + 3;

            int meta = Begin(BlobFormat.TagMeta);
            U16(size); U16(size); U16(3); U16(classes);
            U8(8); U8(0); U8(0); U8(0);
            Ascii(name);
            for (int i = 0; i < classes; i++) Ascii("class" + i.ToString());
            End(meta);

            // Stem: u ∈ 0…255, A = 64, B = −64·128 (input centred at 128), shift 4.
            int layer = Begin(BlobFormat.TagLayer);
            Kind(LayerKind.Stem);
            U16(3); U16(width); U16(3); U16(1); U16(1); U16(size); U16(size); U16(0);
            I32(4);
            for (int c = 0; c < 3; c++) I32(64);
            for (int c = 0; c < 3; c++) I32(-64 * 128);
            Weights(width, 3, 3);
            End(layer);

            int ch = width, h = size;
            for (int stage = 0; stage < 3; stage++)
            {
                for (int b = 0; b < n; b++)
                {
                    bool down = stage > 0 && b == 0;
                    int cout = down ? ch * 2 : ch;
                    Quantize(0, bits, zero, 2000);
                    Conv(3, down ? 2 : 1, ch, cout);
                    Quantize(1, bits, zero, AccSpread(ch, levels, zero));
                    Conv(3, 1, cout, cout);
                    layer = Begin(BlobFormat.TagLayer);
                    Kind(LayerKind.Residual);
                    U16(down ? 1 : 0); U16(down ? 1 : 0); U16(down ? 1 : 0); U16(1);
                    I32(4);
                    I32(3);
                    End(layer);
                    ch = cout;
                    if (down) h = (h + 1) / 2;
                }
            }
            Quantize(0, bits, zero, 2000);
            Conv(1, 1, ch, classes);
            layer = Begin(BlobFormat.TagLayer);
            Kind(LayerKind.GlobalPool);
            U16(classes); U16(0);
            I32(0);
            for (int i = 0; i < classes; i++) I32(1);
            for (int i = 0; i < classes; i++) I64(0);
            End(layer);

            byte[] blob = new byte[_len];
            Array.Copy(_buf, blob, _len);
            Put32(blob, 0, BlobFormat.Magic);
            blob[4] = BlobFormat.Version;
            blob[6] = BlobFormat.HeaderSize;
            Put32(blob, 8, (uint)blob.Length);
            Put32(blob, 16, (uint)layers);
            Put32(blob, 20, 0);
            Put32(blob, 12, Crc32.Compute(blob, BlobFormat.CrcCoveredFrom, blob.Length - BlobFormat.CrcCoveredFrom));
            _buf = null;
            return blob;
        }

        /// <summary>A typical accumulator magnitude: sqrt(9·Cin)·(levels − 1 + z).</summary>
        private static int AccSpread(int cin, int levels, int zero)
        {
            int r = 1;
            while (r * r < 9 * cin) r++;
            return r * (levels - 1 + zero) / 2;
        }

        private static void Quantize(int source, int bits, int zero, int spread)
        {
            int layer = Begin(BlobFormat.TagLayer);
            Kind(LayerKind.Quantize);
            U16(source); U16(bits); U16(zero); U16(1);
            int per = (1 << bits) - 1;
            for (int k = 0; k < per; k++) I32(-spread + (2 * spread * (k + 1)) / (per + 1));
            U8(1);
            while ((_len & 3) != 0) U8(0);
            End(layer);
        }

        private static void Conv(int k, int stride, int cin, int cout)
        {
            int layer = Begin(BlobFormat.TagLayer);
            Kind(LayerKind.Conv);
            U16(k); U16(stride); U16(k == 3 ? 1 : 0); U16(k == 3 ? 1 : 0); U16(cin); U16(cout);
            Weights(cout, k, cin);
            End(layer);
        }

        private static void Weights(int cout, int k, int cin)
        {
            int wpc = BitConvention.WordsFor(cin);
            int words = cout * k * k * wpc;
            uint last = BitConvention.LastWordMask(cin);
            for (int i = 0; i < words; i++)
            {
                uint v = Next();
                if (i % wpc == wpc - 1) v &= last;
                U32(v);
            }
        }

        private static uint Next()
        {
            // xorshift32: deterministic on host and device.
            uint x = _seed;
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            _seed = x;
            return x;
        }

        private static void Kind(int kind)
        {
            U8(kind); U8(0); U8(0); U8(0);
        }

        private static int Begin(uint tag)
        {
            U32(tag);
            U32(0);
            return _len;
        }

        private static void End(int payloadStart)
        {
            Put32(_buf, payloadStart - 4, (uint)(_len - payloadStart));
            while ((_len & 3) != 0) U8(0);
        }

        private static void Ascii(string s)
        {
            U16(s.Length);
            for (int i = 0; i < s.Length; i++) U8(s[i]);
        }

        private static void U8(int v)
        {
            if (_len == _buf.Length)
            {
                byte[] b = new byte[_buf.Length * 2];
                Array.Copy(_buf, b, _len);
                _buf = b;
            }
            _buf[_len++] = (byte)v;
        }

        private static void U16(int v)
        {
            U8(v);
            U8(v >> 8);
        }

        private static void U32(uint v)
        {
            U8((int)(v & 0xFF));
            U8((int)((v >> 8) & 0xFF));
            U8((int)((v >> 16) & 0xFF));
            U8((int)(v >> 24));
        }

        private static void I32(int v)
        {
            U32((uint)v);
        }

        private static void I64(long v)
        {
            U32((uint)(v & 0xFFFFFFFF));
            U32((uint)(v >> 32));
        }

        private static void Put32(byte[] b, int at, uint v)
        {
            b[at] = (byte)v;
            b[at + 1] = (byte)(v >> 8);
            b[at + 2] = (byte)(v >> 16);
            b[at + 3] = (byte)(v >> 24);
        }
    }
}
