using System.Runtime.CompilerServices;

// Kernel tests build single layers with derived shapes directly instead of through a whole blob.
[assembly: InternalsVisibleTo("OneBit.Runtime.Tests")]
[assembly: InternalsVisibleTo("OneBit.NativeKernels.Tests")]
