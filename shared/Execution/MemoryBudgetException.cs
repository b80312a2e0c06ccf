using System;

namespace OneBit.Runtime.Execution
{
    /// <summary>
    /// A runner refused to start because the network's parameters plus the working memory the runner would allocate
    /// exceed the caller's budget. Thrown at construction, before the large buffers are allocated.
    /// </summary>
    public class MemoryBudgetException : Exception
    {
        /// <summary>Network.ParameterBytes: packed weights and folded constants (already in memory).</summary>
        public long ParameterBytes { get; private set; }
        /// <summary>Bytes of every buffer the runner would allocate.</summary>
        public long WorkingMemoryBytes { get; private set; }
        public long BudgetBytes { get; private set; }

        public MemoryBudgetException(string runner, long parameterBytes, long workingMemoryBytes, long budgetBytes)
            : base(runner + " does not fit: parameters " + parameterBytes.ToString() + " + working memory " +
                workingMemoryBytes.ToString() + " = " + (parameterBytes + workingMemoryBytes).ToString() + " bytes > budget " +
                budgetBytes.ToString() + " bytes")
        {
            ParameterBytes = parameterBytes;
            WorkingMemoryBytes = workingMemoryBytes;
            BudgetBytes = budgetBytes;
        }
    }
}
