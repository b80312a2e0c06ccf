using System.Diagnostics;

namespace OneBit.Runtime.Kernels
{
    /// <summary>
    /// Path-hit counters of the specialised kernel paths, so that the sweeps can show every path ran. A kernel calls
    /// <see cref="Hit"/> once per call or per row with the name of the path it takes (each kernel lists its names as
    /// constants in a nested class <c>Paths</c>). The calls exist only where <see cref="Symbol"/> is defined (the host
    /// builds of OneBit.Runtime and OneBit.HostKernels): for any other build, the nanoFramework one included, the
    /// compiler drops every call and its arguments (ConditionalAttribute), so the device kernels carry no trace of them.
    /// Counting itself (a scope per test) is host-only: shared/Host/KernelPathCounts.cs.
    /// </summary>
    public static partial class KernelPaths
    {
        /// <summary>The compilation symbol that keeps the <see cref="Hit"/> calls.</summary>
        public const string Symbol = "ONEBIT_PATH_COUNTERS";

        [Conditional(Symbol)]
        public static void Hit(string path)
        {
            Count(path);
        }

        [Conditional(Symbol)]
        public static void HitIf(bool taken, string path)
        {
            if (taken) Count(path);
        }

        /// <summary>Implemented by the host build only; elsewhere the call is removed.</summary>
        static partial void Count(string path);
    }
}
