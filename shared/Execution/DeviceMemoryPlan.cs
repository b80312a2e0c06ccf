using System;
using OneBit.Runtime.Kernels;
using OneBit.Runtime.Kernels.Firmware;
using OneBit.Runtime.Kernels.Tuned;
using OneBit.Runtime.Model;

namespace OneBit.Runtime.Execution
{
    /// <summary>
    /// The one place that decides how a network runs on a device heap, and what it costs: the whole-frame runner when
    /// its buffers fit the budget (no per-row stepping), else the streaming runner (16-bit stream rings when
    /// <see cref="StreamBound"/> proves them exact and the kernels have them), else nothing. The kernels take over the conv weights (see
    /// <see cref="KernelSet.For"/>), so the sum is the parameters as loaded, minus the weights they release, plus the
    /// kernels' state, plus the runner's buffers; array payloads, as every such sum here (object headers come on top).
    /// <see cref="RunnerFactory"/> builds the runner it chose; the device app, the synthetic app, the nanoCLR bench,
    /// `onebit inspect` and the heap tests all go through it.
    /// </summary>
    public sealed class DeviceMemoryPlan
    {
        /// <summary>Managed heap of an ESP32 without PSRAM under nanoFramework: the budget the committed models are
        /// built for and judged against.</summary>
        public const long Esp32HeapBytes = 96 * 1024;

        /// <summary>The apps' default budget: an ESP32-WROVER with PSRAM, where every device-class model runs whole
        /// frames. Boards without PSRAM pass what their heap leaves for the model.</summary>
        public const long PsramBudgetBytes = 2L * 1024 * 1024;

        /// <summary>The C# kernels the device runs: the tuned set. The apps ask <see cref="DeviceKernelChoice"/> first, which
        /// takes the firmware's native set (<see cref="FirmwareKernelSet"/>) when the firmware carries its library.</summary>
        public static KernelSet DeviceKernels { get { return TunedKernelSet.Instance; } }

        private DeviceMemoryPlan()
        {
        }

        public Network Network { get; private set; }
        public KernelSet Kernels { get; private set; }
        public long BudgetBytes { get; private set; }
        public RunnerChoice Choice { get; private set; }
        /// <summary>The streaming plan (null for the whole-frame runner).</summary>
        public StreamingPlan Streaming { get; private set; }

        /// <summary>Network.ParameterBytes as loaded.</summary>
        public long ParameterBytes { get; private set; }
        /// <summary>The part of the parameters the kernels release (conv weights they hold in their own layout).</summary>
        public long ReleasedBytes { get; private set; }
        /// <summary>The kernels' per-network state (conv plans, stem tables).</summary>
        public long KernelBytes { get; private set; }
        /// <summary>The runner's buffers: whole-frame tensors, or the streaming plan's working memory.</summary>
        public long RunnerBytes { get; private set; }

        public long TotalBytes { get { return ParameterBytes - ReleasedBytes + KernelBytes + RunnerBytes; } }
        public bool Fits { get { return Choice != RunnerChoice.DoesNotFit; } }

        /// <summary>The device's kernels, the whole frame when it fits.</summary>
        public static DeviceMemoryPlan For(Network network, long budgetBytes)
        {
            return For(network, budgetBytes, DeviceKernels, true);
        }

        /// <param name="wholeFrameWhenItFits">False: always stream rows (the least memory).</param>
        public static DeviceMemoryPlan For(Network network, long budgetBytes, KernelSet kernels, bool wholeFrameWhenItFits)
        {
            if (network == null) throw new ArgumentNullException("network");
            if (kernels == null) throw new ArgumentNullException("kernels");
            DeviceMemoryPlan p = new DeviceMemoryPlan();
            p.Network = network;
            p.Kernels = kernels;
            p.BudgetBytes = budgetBytes;
            p.ParameterBytes = network.ParameterBytes;
            p.ReleasedBytes = kernels.ReleasedParameterBytes(network);
            if (wholeFrameWhenItFits)
            {
                p.Choice = RunnerChoice.WholeFrame;
                p.KernelBytes = kernels.StateBytes(network, false);
                p.RunnerBytes = network.WorkingMemoryBytes;
                if (p.TotalBytes <= budgetBytes) return p;
            }
            p.KernelBytes = kernels.StateBytes(network, true);
            bool int16 = kernels.HasInt16Stream && StreamBound.FitsInt16(network);
            p.Streaming = StreamingPlan.For(network, int16);
            p.RunnerBytes = p.Streaming.WorkingMemoryBytes;
            p.Choice = p.TotalBytes > budgetBytes ? RunnerChoice.DoesNotFit : int16 ? RunnerChoice.StreamingInt16 : RunnerChoice.StreamingInt32;
            return p;
        }

        /// <summary>"whole frame", "streaming int32", "streaming int16" or "does not fit".</summary>
        public static string Name(RunnerChoice choice)
        {
            switch (choice)
            {
                case RunnerChoice.WholeFrame: return "whole frame";
                case RunnerChoice.StreamingInt32: return "streaming int32";
                case RunnerChoice.StreamingInt16: return "streaming int16";
                default: return "does not fit";
            }
        }

        /// <summary>"parameters P - released weights R + kernel tables K + runner B = T B": the byte breakdown.</summary>
        public string Breakdown()
        {
            string runner = Streaming == null ? "whole-frame buffers " : Streaming.Int16Stream ? "streaming (int16 rings) " : "streaming ";
            return "parameters " + ParameterBytes.ToString() + " - conv weights taken over " + ReleasedBytes.ToString() + " + " +
                Kernels.Name + " kernel tables " + KernelBytes.ToString() + " + " + runner + RunnerBytes.ToString() + " = " +
                TotalBytes.ToString() + " B";
        }

        /// <summary>Why the apps refuse a plan that does not fit: "model does not fit: parameters … = T B > budget B B".</summary>
        public string Refusal()
        {
            return "model does not fit: " + Breakdown() + " > budget " + BudgetBytes.ToString() + " B";
        }

        /// <summary>The start-up line without the reason: "kernels: tuned, runner: streaming int16, N B of budget B (parameters …)".</summary>
        public string Describe()
        {
            return Describe(null);
        }

        /// <summary>The start-up line with why these kernels run: "kernels: tuned (C# kernels: …), runner: …".</summary>
        public string Describe(string why)
        {
            return "kernels: " + Kernels.Name + (why != null ? " (" + why + ")" : "") + ", runner: " + Name(Choice) + ", " +
                TotalBytes.ToString() + " B of " + BudgetBytes.ToString() + " B budget (" + Breakdown() + ")";
        }
    }
}
