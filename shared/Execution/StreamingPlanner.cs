using OneBit.Runtime.Model;

namespace OneBit.Runtime.Execution
{
    /// <summary>
    /// Builds a <see cref="StreamingPlan"/>: wires every layer to the producers of its inputs, marks the layers the pool
    /// never reads as dead, and simulates the pull schedule of one frame (without computing anything) to record the
    /// step list and to decide the aliased residuals, the ring sizes and the shared accumulator row (the rules are in
    /// StreamingPlan's class comment). Its only temporary is one int[layers] of rows produced.
    /// </summary>
    internal static class StreamingPlanner
    {
        private const int NoInput = StreamingPlan.NoInput;
        private const int Dead = StreamingPlan.Dead;
        private const int Shared = StreamingPlan.Shared;
        private const int Aliased = StreamingPlan.Aliased;

        public static StreamingPlan Plan(Network network, bool int16Stream)
        {
            Layer[] layers = network.Layers;
            int n = layers.Length;
            int[] input0 = new int[n], input1 = new int[n], rows = new int[n], produced = new int[n];
            Wire(layers, input0, input1);
            MarkDead(input0, input1, produced);

            // Identity residuals are candidates to write in place over their shortcut input's ring: S'[y] replaces
            // S[y] in its slot once nothing but the residual itself still needs S[y]. A first simulation drops every
            // candidate for which, when it writes row y, another consumer of its shortcut input still needs a row ≤ y,
            // and counts the steps and their runs.
            for (int i = 0; i < n; i++)
            {
                ResidualLayer res = layers[i] as ResidualLayer;
                bool identity = res != null && res.Shortcut == ResidualLayer.Identity && res.InChannels == res.OutChannels;
                rows[i] = identity && input0[i] >= 0 ? Aliased : 0;
            }
            int last = n - 1, total = LayerRows.Count(layers[last]), steps = 0, runs = 0, previous = -2;
            Clear(produced);
            while (produced[last] < total)
            {
                int node = NextNode(layers, input0, input1, produced);
                if (rows[node] == Aliased && StillNeededByOthers(layers, input0, input1, produced, node)) rows[node] = 0;
                produced[node]++;
                steps++;
                if (node != previous + 1) runs++;
                previous = node;
            }

            // The same schedule again, recorded as runs of consecutive layers (first, last), sizing the rings. A ring
            // shared by an aliased chain (its owner and the residuals written over it) holds every row any member still
            // needs: from the oldest such row up to the newest row any member has produced.
            int width = n > 256 ? 2 : 1;
            byte[] list = new byte[2 * width * runs];
            Clear(produced);
            for (int s = 0, run = -1; s < steps; s++)
            {
                int node = NextNode(layers, input0, input1, produced);
                if (run < 0 || node != StreamingPlan.Value(list, width, 2 * run + 1) + 1)
                {
                    run++;
                    StreamingPlan.Store(list, width, 2 * run, node);
                }
                StreamingPlan.Store(list, width, 2 * run + 1, node);
                produced[node]++;
                if (node == last) continue;
                int owner = OwnerOf(rows, input0, node);
                int newest = produced[owner], oldest = OldestNeeded(layers, input0, input1, produced, owner);
                for (int m = owner + 1; m < n; m++)
                {
                    if (rows[m] != Aliased || OwnerOf(rows, input0, m) != owner) continue;
                    if (produced[m] > newest) newest = produced[m];
                    int o = OldestNeeded(layers, input0, input1, produced, m);
                    if (o < oldest) oldest = o;
                }
                int span = newest - oldest;
                if (span < 1) span = 1;
                if (span > rows[owner]) rows[owner] = span;
            }

            // Accumulator rows read by exactly one consumer in the very next step share one scratch row. Candidates:
            // convs with a 1-row ring and one live consumer (a quantize, a residual or the pool, none of which writes
            // the scratch). Walking the steps drops every candidate one of whose rows is not consumed by the next step.
            for (int i = 0; i < n; i++)
            {
                if (layers[i].Kind == LayerKind.Conv && rows[i] == 1 && ConsumerCount(input0, input1, i) == 1) rows[i] = Shared;
            }
            int pending = NoInput;
            for (int run = 0; run < runs; run++)
            {
                int lastNode = StreamingPlan.Value(list, width, 2 * run + 1);
                for (int node = StreamingPlan.Value(list, width, 2 * run); node <= lastNode; node++)
                {
                    if (pending >= 0 && input0[node] != pending && input1[node] != pending) rows[pending] = 1;
                    pending = rows[node] == Shared ? node : NoInput;
                }
            }
            return new StreamingPlan(network, int16Stream, input0, input1, rows, list, runs, steps);
        }

        /// <summary>Input 0: the stream (or, for a quantize of the accumulator and the pool, the last conv; for a conv,
        /// the last quantize); input 1: a residual's accumulator (CONTRACT.md §7).</summary>
        private static void Wire(Layer[] layers, int[] input0, int[] input1)
        {
            int stream = NoInput, act = NoInput, acc = NoInput;
            for (int i = 0; i < layers.Length; i++)
            {
                input0[i] = NoInput;
                input1[i] = NoInput;
                switch (layers[i].Kind)
                {
                    case LayerKind.Stem:
                        stream = i;
                        break;
                    case LayerKind.Quantize:
                        input0[i] = ((QuantizeLayer)layers[i]).Source == QuantizeLayer.FromStream ? stream : acc;
                        act = i;
                        break;
                    case LayerKind.Conv:
                        input0[i] = act;
                        acc = i;
                        break;
                    case LayerKind.Residual:
                        input0[i] = stream;
                        input1[i] = acc;
                        stream = i;
                        break;
                    case LayerKind.GlobalPool:
                        input0[i] = acc;
                        break;
                }
            }
        }

        /// <summary>Liveness, backwards from the pool (the last layer); <paramref name="live"/> is scratch.</summary>
        private static void MarkDead(int[] input0, int[] input1, int[] live)
        {
            int n = input0.Length;
            Clear(live);
            live[n - 1] = 1;
            for (int i = n - 1; i >= 0; i--)
            {
                if (live[i] == 0)
                {
                    input0[i] = Dead;
                    input1[i] = Dead;
                    continue;
                }
                if (input0[i] >= 0) live[input0[i]] = 1;
                if (input1[i] >= 0) live[input1[i]] = 1;
            }
        }

        private static void Clear(int[] values)
        {
            for (int i = 0; i < values.Length; i++) values[i] = 0;
        }

        /// <summary>True when input <paramref name="slot"/> has not yet produced the last row the node's next row needs.</summary>
        private static bool Waits(Layer[] layers, int[] produced, int node, int input, int slot)
        {
            int need = LayerRows.LastInput(layers[node], slot, produced[node]);
            int rows = LayerRows.Count(layers[input]);
            if (need > rows - 1) need = rows - 1;
            return produced[input] <= need;
        }

        /// <summary>One schedule step: the node whose next row is computed now.</summary>
        private static int NextNode(Layer[] layers, int[] input0, int[] input1, int[] produced)
        {
            int node = layers.Length - 1;
            while (true)
            {
                int i = input1[node];
                if (i >= 0 && Waits(layers, produced, node, i, 1))
                {
                    node = i;
                    continue;
                }
                i = input0[node];
                if (i >= 0 && Waits(layers, produced, node, i, 0))
                {
                    node = i;
                    continue;
                }
                return node;
            }
        }

        /// <summary>Oldest row of <paramref name="node"/> that an unfinished consumer still needs (produced[node] if none).</summary>
        private static int OldestNeeded(Layer[] layers, int[] input0, int[] input1, int[] produced, int node)
        {
            int oldest = produced[node];
            for (int j = node + 1; j < layers.Length; j++)
            {
                if (produced[j] >= LayerRows.Count(layers[j])) continue;
                for (int slot = 0; slot < 2; slot++)
                {
                    if ((slot == 0 ? input0[j] : input1[j]) != node) continue;
                    int first = LayerRows.FirstInput(layers[j], slot, produced[j]);
                    if (first < 0) first = 0;
                    if (first < oldest) oldest = first;
                }
            }
            return oldest;
        }

        private static int OwnerOf(int[] rows, int[] input0, int node)
        {
            while (rows[node] == Aliased) node = input0[node];
            return node;
        }

        /// <summary>True when a consumer of the shortcut input of <paramref name="node"/> other than the node itself
        /// still needs a row up to the one the node is about to write (so writing it in place would be wrong).</summary>
        private static bool StillNeededByOthers(Layer[] layers, int[] input0, int[] input1, int[] produced, int node)
        {
            int source = input0[node], y = produced[node];
            for (int j = source + 1; j < layers.Length; j++)
            {
                if (j == node || produced[j] >= LayerRows.Count(layers[j])) continue;
                for (int slot = 0; slot < 2; slot++)
                {
                    if ((slot == 0 ? input0[j] : input1[j]) == source && LayerRows.FirstInput(layers[j], slot, produced[j]) <= y) return true;
                }
            }
            return false;
        }

        private static int ConsumerCount(int[] input0, int[] input1, int node)
        {
            int count = 0;
            for (int j = node + 1; j < input0.Length; j++)
            {
                if (input0[j] == node) count++;
                if (input1[j] == node) count++;
            }
            return count;
        }
    }
}
