using System;
using OneBit.Runtime.Model;

namespace OneBit.Runtime.Execution
{
    /// <summary>
    /// How <see cref="StreamingRunner"/> executes a network row by row through ring buffers of a few rows per layer:
    /// the wiring, the ring sizes, which rings are shared or aliased, the step list, and the bytes all of that takes.
    /// Computed from the network alone (<see cref="StreamingPlanner"/> simulates one frame without computing anything),
    /// so it is the same for every frame and every kernel set, and printed by `onebit inspect`.
    ///
    /// <para><b>Dataflow.</b> Every layer record is a node that produces one tensor, row by row (the global pool
    /// produces nothing per row; it adds each accumulator row to per-class 64-bit sums). Its inputs are the producers
    /// of the buffers it reads in the execution model of CONTRACT.md §7: a quantize reads the node that last wrote the
    /// stream (or the accumulator), a conv the last quantize, a residual both the last stream writer (the block input,
    /// its shortcut, input 0) and the last conv (input 1), the pool the last conv. Which input rows an output row needs
    /// is <see cref="LayerRows"/>. Nodes the pool does not (transitively) read are never run.</para>
    ///
    /// <para><b>Steps (pull schedule).</b> One step: start at the pool; while the current node has an input that has
    /// not yet produced the last row the current node's next row needs, move to that input (accumulator input first,
    /// then stream); then compute that one row. Steps repeat until the pool has consumed every row. The planner records
    /// the steps as runs of consecutive layers (a row flows down the network layer after layer until a layer needs more
    /// input rows), each run two bytes, first and last layer (four for networks of more than 256 layers), so the runner
    /// walks a short list instead of searching the graph for every row.</para>
    ///
    /// <para><b>Ring sizes.</b> A node's rows live in a ring: row r at slot r % ringRows. When it writes row r, the
    /// rows its consumers still need are those from the oldest first-needed row over its unfinished consumers; the ring
    /// size is the maximum over the frame of (rows produced − that oldest row), at least 1. Writing row r then only
    /// overwrites row r − ringRows, which no consumer needs any more, and consumers only advance, so every row a kernel
    /// reads is still in its slot. Typical rings: 3 rows of planes feeding a stride-1 or stride-2 3×3 conv; the block
    /// input stream stays alive from the block's first quantize until the residual add consumes it: 3 rows for an
    /// identity block (rows y … y+2), 5 for a downsampling block (pool window 2y−1 … 2y+1, conv chain up to 2y+3); 1 row
    /// for the last stream, read 1:1 by the head quantize.</para>
    ///
    /// <para><b>Shared accumulator row (<see cref="Shared"/>).</b> A conv whose 1-row ring has a single consumer (a
    /// quantize, a residual or the pool) that always runs in the step right after the conv wrote the row does not get a
    /// ring: all such convs write one shared scratch row (as long as the longest of their rows). No other conv runs in
    /// between, so the row never holds two live rows. A conv that fails the condition for any row (e.g. at the bottom
    /// border of a downsampling block whose shortcut window reaches one stream row further than the conv chain) keeps
    /// its own 1-row ring.</para>
    ///
    /// <para><b>In-place residuals (<see cref="Aliased"/>).</b> An identity residual writes S'[y] over S[y] in its
    /// shortcut input's ring once no other consumer of S still needs row y. A chain stem → identity blocks then shares
    /// one ring, sized to hold every row any member still needs: 7 rows for a stem and one identity block feeding a
    /// downsampling block, against 3 + 5 for two rings.</para>
    ///
    /// <para><b>16-bit stream rings.</b> When <see cref="StreamBound"/> proves |S| ≤ 32767, stem and residual rings may
    /// hold shorts (the exact values, so the same logits), halving the largest buffers. The stem and the quantizers that
    /// read the stream then go through the shared scratch row one row at a time (so it is at least one stream row long):
    /// that row is free in their steps, because a conv that shares it is always consumed in the very next step, and
    /// neither a stem nor a stream quantizer consumes a conv.</para>
    ///
    /// <para><b>Bytes.</b> <see cref="WorkingMemoryBytes"/> sums the payloads of every array the plan keeps and the
    /// runner allocates for it: the plan's three int[layers] (input 0, input 1, ring rows) and its list of runs; the
    /// runner's two int[layers] (resolved ring rows, rows produced in the current frame), its ring tables (int[][] and
    /// uint[][], a third, short[][], with 16-bit stream rings; reference slots counted as
    /// <see cref="ReferenceSlotBytes"/>), one ring per executed non-pool layer (ring rows × one row: W·C int32 — or
    /// int16 — for stem, conv and residual, W·b·wpc words for quantize) except the shared and aliased ones, the scratch
    /// row, the pool's long[classes] sums and the int[classes] logits. Object headers and the kernels' own state are
    /// not included (<see cref="DeviceMemoryPlan"/> adds the latter).</para>
    /// </summary>
    public sealed class StreamingPlan
    {
        /// <summary>Input value: the layer has no input of this kind.</summary>
        public const int NoInput = -1;
        /// <summary>Input value: the layer's output is never read by the pool (not executed, no ring).</summary>
        public const int Dead = -2;
        /// <summary>Ring rows of a conv whose single row lives in the shared scratch row.</summary>
        public const int Shared = -1;
        /// <summary>Ring rows of an identity residual that writes its output in place over its shortcut input's ring.</summary>
        public const int Aliased = -2;
        /// <summary>Bytes counted per slot of a reference array (8 on a 64-bit host; an upper bound on 32-bit devices).</summary>
        public const int ReferenceSlotBytes = 8;

        private readonly Network _net;
        private readonly bool _int16;

        internal readonly int[] Input0;
        internal readonly int[] Input1;
        /// <summary>Ring rows per layer with the <see cref="Shared"/> and <see cref="Aliased"/> marks; 0: no ring.</summary>
        internal readonly int[] Rows;
        /// <summary>The steps as runs of consecutive layers: first and last layer of every run, one byte each (two,
        /// little-endian, over 256 layers; <see cref="Wide"/>).</summary>
        internal readonly byte[] RunList;
        internal readonly bool Wide;
        private readonly int _runCount;
        private readonly int _stepCount;
        private readonly int _scratch;

        internal StreamingPlan(Network network, bool int16Stream, int[] input0, int[] input1, int[] rows, byte[] runs, int runCount, int stepCount)
        {
            _net = network;
            _int16 = int16Stream;
            Input0 = input0;
            Input1 = input1;
            Rows = rows;
            RunList = runs;
            Wide = network.Layers.Length > 256;
            _runCount = runCount;
            _stepCount = stepCount;
            _scratch = ScratchOf(network.Layers, rows, int16Stream);
        }

        /// <summary>The plan of <paramref name="network"/>; <paramref name="int16Stream"/>: stream rings of shorts, which
        /// <see cref="StreamBound.FitsInt16"/> must prove exact (else ArgumentException).</summary>
        public static StreamingPlan For(Network network, bool int16Stream)
        {
            if (network == null) throw new ArgumentNullException("network");
            if (int16Stream && !StreamBound.FitsInt16(network))
            {
                throw new ArgumentException("the stream of this network is not proven to fit 16 bits (bound " + StreamBound.Of(network).ToString() + ")");
            }
            return StreamingPlanner.Plan(network, int16Stream);
        }

        public Network Network { get { return _net; } }

        /// <summary>Stem and residual rings hold 16-bit values.</summary>
        public bool Int16Stream { get { return _int16; } }

        /// <summary>Producer of input <paramref name="slot"/> (0 or 1) of the layer; <see cref="NoInput"/> or
        /// <see cref="Dead"/> (for a layer that is never executed).</summary>
        public int InputOf(int layer, int slot)
        {
            return slot == 0 ? Input0[layer] : Input1[layer];
        }

        /// <summary>Rows in the ring of the layer: 0 for the pool and the dead layers, <see cref="Shared"/>,
        /// <see cref="Aliased"/>, or its own ring's rows.</summary>
        public int RingRowsOf(int layer)
        {
            return Rows[layer];
        }

        /// <summary>The layer whose ring holds the layer's rows: itself, or for an aliased residual the owner of the ring
        /// it writes over.</summary>
        public int RingOwnerOf(int layer)
        {
            while (Rows[layer] == Aliased) layer = Input0[layer];
            return layer;
        }

        /// <summary>Rows the layer's output actually occupies (1 in the shared row; an aliased layer: its owner's).</summary>
        public int ResolvedRowsOf(int layer)
        {
            int rows = Rows[layer];
            if (rows == Shared) return 1;
            return rows == Aliased ? Rows[RingOwnerOf(layer)] : rows;
        }

        /// <summary>Steps of one frame, each computing the next row of one layer.</summary>
        public int StepCount { get { return _stepCount; } }

        /// <summary>Runs of consecutive layers the steps form.</summary>
        public int RunCount { get { return _runCount; } }

        /// <summary>First layer of run <paramref name="run"/>.</summary>
        public int RunFirst(int run)
        {
            return Value(RunList, Wide ? 2 : 1, 2 * run);
        }

        /// <summary>Last layer of run <paramref name="run"/> (its steps compute the next row of every layer from
        /// RunFirst to RunLast, in that order).</summary>
        public int RunLast(int run)
        {
            return Value(RunList, Wide ? 2 : 1, 2 * run + 1);
        }

        /// <summary>The layer whose next row step <paramref name="s"/> computes (walks the runs).</summary>
        public int StepAt(int s)
        {
            for (int run = 0; run < _runCount; run++)
            {
                int length = RunLast(run) - RunFirst(run) + 1;
                if (s < length) return RunFirst(run) + s;
                s -= length;
            }
            throw new ArgumentOutOfRangeException("s");
        }

        /// <summary>Bytes of the list of runs.</summary>
        public int RunListBytes { get { return RunList.Length; } }

        internal static int Value(byte[] list, int width, int index)
        {
            return width == 1 ? list[index] : list[2 * index] | (list[2 * index + 1] << 8);
        }

        internal static void Store(byte[] list, int width, int index, int value)
        {
            if (width == 1) list[index] = (byte)value;
            else
            {
                list[2 * index] = (byte)value;
                list[2 * index + 1] = (byte)(value >> 8);
            }
        }

        /// <summary>Elements (int32) of the shared scratch row; 0: none.</summary>
        public int ScratchRowElements { get { return _scratch; } }

        /// <summary>Bytes of one ring row of the layer as this plan stores it (2 per element for 16-bit stream rings).</summary>
        public long RowBytes(int layer)
        {
            Layer l = _net.Layers[layer];
            return (_int16 && LayerRows.IsStream(l) ? 2L : 4L) * LayerRows.Elements(l);
        }

        /// <summary>Bytes of the rings the runner allocates (own rings only; the shared row is <see cref="ScratchRowElements"/>).</summary>
        public long RingBytes
        {
            get
            {
                long total = 0;
                for (int i = 0; i < Rows.Length; i++)
                {
                    if (Rows[i] > 0) total += Rows[i] * RowBytes(i);
                }
                return total;
            }
        }

        /// <summary>Payload bytes of the arrays the plan itself keeps (wiring, ring rows, the runs), a part of
        /// <see cref="WorkingMemoryBytes"/>.</summary>
        public long PlanArrayBytes { get { return 4L * 3 * Rows.Length + RunList.Length; } }

        /// <summary>Payload bytes of every array the plan keeps and the runner allocates (see the class comment).</summary>
        public long WorkingMemoryBytes
        {
            get
            {
                int n = Rows.Length, tables = _int16 ? 3 : 2;
                return 4L * 5 * n + (long)tables * ReferenceSlotBytes * n + RunList.Length + RingBytes
                    + 4L * _scratch + 12L * _net.ClassCount;
            }
        }

        /// <summary>Arrays counted in <see cref="WorkingMemoryBytes"/> (each costs an object header on top).</summary>
        public int AllocatedArrays
        {
            get
            {
                int count = 3 + 1 + 2 + (_int16 ? 3 : 2) + 2;
                for (int i = 0; i < Rows.Length; i++)
                {
                    if (Rows[i] > 0) count++;
                }
                return _scratch > 0 ? count + 1 : count;
            }
        }

        /// <summary>Elements of the shared scratch row: the longest row among the Shared layers and, with 16-bit
        /// stream rings, among the executed stream layers.</summary>
        private static int ScratchOf(Layer[] layers, int[] rows, bool int16Stream)
        {
            int max = 0;
            for (int i = 0; i < layers.Length; i++)
            {
                bool uses = rows[i] == Shared || (int16Stream && rows[i] > 0 && LayerRows.IsStream(layers[i]));
                if (uses && LayerRows.Elements(layers[i]) > max) max = LayerRows.Elements(layers[i]);
            }
            return max;
        }
    }
}
