namespace OneBit.App.Hardware
{
    /// <summary>Free managed heap (nanoFramework: nanoFramework.Runtime.Native.GC.Run(false)).</summary>
    public interface IMemoryProbe
    {
        /// <summary>Free bytes now, or −1 if unknown.</summary>
        long FreeBytes();
    }
}
