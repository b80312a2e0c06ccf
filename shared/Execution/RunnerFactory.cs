using OneBit.Runtime.Kernels;

namespace OneBit.Runtime.Execution
{
    /// <summary>Builds the runner a <see cref="DeviceMemoryPlan"/> chose, with the plan's kernel set.</summary>
    public static class RunnerFactory
    {
        /// <summary>
        /// The kernels take over the conv weights (the network then runs only through this runner). Throws
        /// <see cref="MemoryBudgetException"/>, before allocating anything, when the plan does not fit.
        /// </summary>
        public static IFrameClassifier Build(DeviceMemoryPlan plan)
        {
            if (!plan.Fits)
            {
                throw new MemoryBudgetException("the streaming runner", plan.ParameterBytes - plan.ReleasedBytes,
                    plan.KernelBytes + plan.RunnerBytes, plan.BudgetBytes);
            }
            if (plan.Choice == RunnerChoice.WholeFrame)
            {
                return new NetworkRunner(plan.Network, plan.Kernels.For(plan.Network, false, true));
            }
            LayerKernels kernels = plan.Kernels.For(plan.Network, true, true);
            return new StreamingRunner(plan.Streaming, kernels);
        }
    }
}
