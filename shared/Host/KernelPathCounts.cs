using System.Collections.Generic;
using System.Threading;

namespace OneBit.Runtime.Kernels
{
    public static partial class KernelPaths
    {
        private static readonly AsyncLocal<KernelPathCounts> Current = new AsyncLocal<KernelPathCounts>();

        /// <summary>
        /// Starts counting path hits in the calling flow (this thread and the tasks and threads it starts) from zero,
        /// until the returned counts are disposed. Other flows (tests running in parallel) keep their own counts.
        /// </summary>
        public static KernelPathCounts StartCounting()
        {
            var counts = new KernelPathCounts(Current.Value);
            Current.Value = counts;
            return counts;
        }

        static partial void Count(string path)
        {
            Current.Value?.Add(path);
        }

        /// <summary>Ends a counting scope: the enclosing one (or none) counts again.</summary>
        internal static void Restore(KernelPathCounts outer)
        {
            Current.Value = outer;
        }
    }

    /// <summary>Hits per path name since <see cref="KernelPaths.StartCounting"/>.</summary>
    public sealed class KernelPathCounts : System.IDisposable
    {
        private readonly Dictionary<string, long> _hits = new Dictionary<string, long>();
        private readonly KernelPathCounts _outer;

        internal KernelPathCounts(KernelPathCounts outer)
        {
            _outer = outer;
        }

        internal void Add(string path)
        {
            lock (_hits)
            {
                _hits.TryGetValue(path, out long n);
                _hits[path] = n + 1;
            }
            _outer?.Add(path);
        }

        public long this[string path]
        {
            get
            {
                lock (_hits) return _hits.TryGetValue(path, out long n) ? n : 0;
            }
        }

        /// <summary>Every path hit at least once.</summary>
        public string[] Names
        {
            get
            {
                lock (_hits)
                {
                    var names = new List<string>(_hits.Keys);
                    names.Sort(System.StringComparer.Ordinal);
                    return names.ToArray();
                }
            }
        }

        public void Dispose()
        {
            KernelPaths.Restore(_outer);
        }
    }
}
