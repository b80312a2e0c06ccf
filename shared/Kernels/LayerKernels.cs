using System;
using OneBit.Runtime.Kernels.Reference;
using OneBit.Runtime.Model;

namespace OneBit.Runtime.Kernels
{
    /// <summary>
    /// The kernels of one network for one runner, made by a <see cref="KernelSet"/>. Every entry point computes a row
    /// range over ring buffers: row y of a tensor lives at slot y % rows of its buffer (HWC, or the bit-planes of
    /// CONTRACT.md §2, within a row). The whole-frame runner passes rings of the tensors' heights and the full range,
    /// the streaming runner rings of a few rows and one row per call. None of them allocates: they are on the
    /// per-frame path. Not thread-safe when the set keeps scratch state: one instance per runner.
    /// </summary>
    public abstract class LayerKernels
    {
        /// <summary>The set's name.</summary>
        public abstract string Name { get; }

        /// <summary>Stem (CONTRACT.md §5): output rows [oyStart, oyEnd) of the whole HWC frame into a ring of
        /// <paramref name="outRows"/> stream rows.</summary>
        public abstract void Stem(StemLayer L, byte[] pixels, int[] stream, int outRows, int oyStart, int oyEnd);

        /// <summary>Activation quantizer (CONTRACT.md §2–§3): rows [yStart, yEnd), every plane word of a row written.</summary>
        public abstract void Quantize(QuantizeLayer L, int[] input, int inRows, uint[] planes, int outRows, int yStart, int yEnd);

        /// <summary>Binary conv (CONTRACT.md §4): output rows [oyStart, oyEnd).</summary>
        public abstract void Conv(ConvLayer L, uint[] planes, int inRows, int[] acc, int outRows, int oyStart, int oyEnd);

        /// <summary>Residual block end (CONTRACT.md §5): output rows [oyStart, oyEnd); <paramref name="streamOut"/> may be
        /// <paramref name="streamIn"/> for an identity shortcut (row oy is read before it is written).</summary>
        public abstract void Residual(ResidualLayer L, int[] streamIn, int inRows, int[] acc, int accRows,
            int[] streamOut, int outRows, int oyStart, int oyEnd);

        /// <summary>True when the set has the residual over 16-bit stream rings (the overload below).</summary>
        public virtual bool HasInt16Stream { get { return false; } }

        /// <summary>The residual over 16-bit stream rings, exact when StreamBound proves |S| ≤ 32767.</summary>
        public virtual void Residual(ResidualLayer L, short[] streamIn, int inRows, int[] acc, int accRows,
            short[] streamOut, int outRows, int oyStart, int oyEnd)
        {
            throw new NotSupportedException("the " + Name + " kernels have no 16-bit stream residual");
        }

        /// <summary>Global pool (CONTRACT.md §6), begun: clears the per-class 64-bit sums.</summary>
        public virtual void PoolBegin(GlobalPoolLayer L, long[] sums)
        {
            GlobalPoolRowsReference.Begin(L, sums);
        }

        /// <summary>Adds accumulator rows [yStart, yEnd) to the sums.</summary>
        public virtual void Pool(GlobalPoolLayer L, int[] acc, int accRows, long[] sums, int yStart, int yEnd)
        {
            GlobalPoolRowsReference.Accumulate(L, acc, accRows, sums, yStart, yEnd);
        }

        /// <summary>The per-class affine and clamp once every row has been added.</summary>
        public virtual void PoolFinish(GlobalPoolLayer L, long[] sums, int[] logits)
        {
            GlobalPoolRowsReference.Finish(L, sums, logits);
        }
    }
}
