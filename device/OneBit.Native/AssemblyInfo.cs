using System.Reflection;

// The version of the native table (CLR_RT_NativeAssemblyData::m_Version); host-tools/OneBit.BenchImage interop-stubs
// writes it into native/onebit_interop/generated.
[assembly: AssemblyVersion("1.0.0.0")]
[assembly: AssemblyNativeVersion("1.0.0.0")]
