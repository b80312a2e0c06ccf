using OneBit.Runtime.Model;

namespace OneBit.Runtime.Kernels
{
    /// <summary>
    /// A binary conv implementation (CONTRACT.md §4), the part of a kernel set that the sets differ in most (reference,
    /// tuned, the host's popcount kernel). The reference kernel defines the result; every other implementation must
    /// reproduce it bit for bit. Run must not allocate: it is on the per-frame path.
    /// </summary>
    public interface IBinaryConvKernel
    {
        string Name { get; }

        /// <summary>
        /// Computes output rows [oyStart, oyEnd). Rows live in ring buffers so a streaming runner can keep only a
        /// few of them: input row iy is at row slot iy % inRows of <paramref name="planes"/> (layout of CONTRACT.md §2
        /// within a row), output row oy goes to slot oy % outRows of <paramref name="acc"/> (HWC within a row).
        /// Whole-frame callers pass inRows = InHeight, outRows = OutHeight, 0, OutHeight.
        /// </summary>
        void Run(ConvLayer layer, uint[] planes, int inRows, int[] acc, int outRows, int oyStart, int oyEnd);
    }
}
