namespace OneBit.Runtime.Blob
{
    /// <summary>
    /// Little-endian cursor over a blob that never reads past its limit: every read is checked and a shortfall becomes
    /// a BlobFormatException naming the offset, never an IndexOutOfRangeException. The bytes are a whole array, or
    /// pages of an <see cref="IBlobSource"/> fetched as the cursor reaches them (one page held at a time).
    /// </summary>
    internal sealed class ByteReader
    {
        private readonly IBlobSource _source;
        private readonly int _pageBytes;
        private byte[] _page;
        private int _pageStart;
        private int _limit;

        public int Position;
        /// <summary>Layer index reported in errors (−1 outside layer records).</summary>
        public int LayerIndex = -1;

        public ByteReader(byte[] data, int position, int limit)
        {
            _page = data;
            Position = position;
            _limit = limit;
        }

        public ByteReader(IBlobSource source, int pageBytes, int position, int limit)
        {
            _source = source;
            _pageBytes = pageBytes;
            _page = new byte[0];
            Position = position;
            _limit = limit;
        }

        /// <summary>The byte at blob offset <paramref name="offset"/> (within the limit: callers check first).</summary>
        private byte At(int offset)
        {
            int i = offset - _pageStart;
            if (i >= 0 && i < _page.Length) return _page[i];
            _page = null;   // let the old page go before the next one is allocated
            int start = offset - offset % _pageBytes, count = _source.Length - start;
            if (count > _pageBytes) count = _pageBytes;
            _page = _source.Read(start, count);
            _pageStart = start;
            return _page[offset - start];
        }

        public int Limit { get { return _limit; } }
        /// <summary>Page size of a source-backed reader (0 for a whole array).</summary>
        public int PageBytes { get { return _pageBytes; } }
        public int Remaining { get { return _limit - Position; } }

        /// <summary>Narrows reads to the next <paramref name="length"/> bytes; returns the old limit.</summary>
        public int PushLimit(int length, string what)
        {
            Require(length, what);
            int old = _limit;
            _limit = Position + length;
            return old;
        }

        public void PopLimit(int oldLimit)
        {
            _limit = oldLimit;
        }

        public void Require(int bytes, string what)
        {
            if (bytes < 0 || bytes > _limit - Position)
            {
                throw Fail("truncated: " + what + " needs " + bytes.ToString() + " bytes, " +
                           (_limit - Position).ToString() + " remain");
            }
        }

        public BlobFormatException Fail(string message)
        {
            return new BlobFormatException(message, Position, LayerIndex);
        }

        public BlobFormatException FailAt(int offset, string message)
        {
            return new BlobFormatException(message, offset, LayerIndex);
        }

        public byte U8(string what)
        {
            Require(1, what);
            return At(Position++);
        }

        public int U16(string what)
        {
            Require(2, what);
            int v = At(Position) | (At(Position + 1) << 8);
            Position += 2;
            return v;
        }

        public uint U32(string what)
        {
            Require(4, what);
            uint v = (uint)(At(Position) | (At(Position + 1) << 8) | (At(Position + 2) << 16) | (At(Position + 3) << 24));
            Position += 4;
            return v;
        }

        public int I32(string what)
        {
            return (int)U32(what);
        }

        public long I64(string what)
        {
            uint lo = U32(what);
            uint hi = U32(what);
            return (long)(((ulong)hi << 32) | lo);
        }

        /// <summary>Reads <paramref name="count"/> int32 values; the size is checked before allocating.</summary>
        public int[] I32Array(int count, string what)
        {
            RequireElements(count, 4, what);
            int[] a = new int[count];
            for (int i = 0; i < count; i++) a[i] = I32(what);
            return a;
        }

        /// <summary>Reads <paramref name="count"/> signed 24-bit little-endian values (record kind 7), sign-extended.</summary>
        public int[] I24Array(int count, string what)
        {
            RequireElements(count, 3, what);
            int[] a = new int[count];
            for (int i = 0; i < count; i++)
            {
                int v = At(Position) | (At(Position + 1) << 8) | (At(Position + 2) << 16);
                a[i] = (v << 8) >> 8;
                Position += 3;
            }
            return a;
        }

        public uint[] U32Array(int count, string what)
        {
            RequireElements(count, 4, what);
            uint[] a = new uint[count];
            for (int i = 0; i < count; i++) a[i] = U32(what);
            return a;
        }

        public long[] I64Array(int count, string what)
        {
            RequireElements(count, 8, what);
            long[] a = new long[count];
            for (int i = 0; i < count; i++) a[i] = I64(what);
            return a;
        }

        public byte[] Bytes(int count, string what)
        {
            RequireElements(count, 1, what);
            byte[] a = new byte[count];
            for (int i = 0; i < count; i++) a[i] = At(Position + i);
            Position += count;
            return a;
        }

        private void RequireElements(int count, int size, string what)
        {
            if (count < 0 || (long)count * size > _limit - Position)
            {
                throw Fail("truncated: " + what + " declares " + count.ToString() + " elements of " + size.ToString() +
                           " bytes, " + (_limit - Position).ToString() + " bytes remain");
            }
        }

        /// <summary>Printable-ASCII string with a u16 length prefix.</summary>
        public string AsciiString(string what)
        {
            int start = Position;
            int length = U16(what + " length");
            if (length > BlobFormat.MaxNameLength)
            {
                throw FailAt(start, what + " is " + length.ToString() + " bytes long, the limit is " + BlobFormat.MaxNameLength.ToString());
            }
            Require(length, what);
            char[] chars = new char[length];
            for (int i = 0; i < length; i++)
            {
                byte b = At(Position + i);
                if (b < 0x20 || b > 0x7E) throw FailAt(Position + i, what + " has a non-printable-ASCII byte 0x" + b.ToString("X2"));
                chars[i] = (char)b;
            }
            Position += length;
            return new string(chars);
        }

        /// <summary>Skips the zero bytes that pad a section to a 4-byte boundary.</summary>
        public void SkipPadding(string what)
        {
            while ((Position & 3) != 0)
            {
                int at = Position;
                if (U8(what + " padding") != 0) throw FailAt(at, what + " padding byte is not zero");
            }
        }
    }
}
