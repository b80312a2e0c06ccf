using System;
using System.Runtime.CompilerServices;

namespace nanoFramework.Runtime.Native
{
    /// <summary>
    /// The public way to read a resource entry, as device/OneBit.App calls it; the bench reaches the first overload by
    /// reflection. Table slots 13 to 16 of nanoFramework.ResourceManager (README.md): keep the methods and their order.
    /// </summary>
    public static class ResourceUtility
    {
        // Slots 13 and 14: the entry whose id is the enum value's underlying short, whole or a chunk of it.
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern object GetObject(System.Resources.ResourceManager rm, Enum id);

        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern object GetObject(System.Resources.ResourceManager rm, Enum id, int offset, int length);

        // Slots 15 and 16: two static methods with IL close the table. Calling GetObject, whose signature carries
        // ResourceManager, also puts ResourceManager first in the type table, where the native table has it: the
        // .pe writer (as nanoFramework's metadata processor) places the types of called signatures before the caller.
        public static byte[] GetBytes(System.Resources.ResourceManager rm, Enum id)
        {
            return (byte[])GetObject(rm, id);
        }

        public static byte[] GetBytes(System.Resources.ResourceManager rm, Enum id, int offset, int length)
        {
            return (byte[])GetObject(rm, id, offset, length);
        }
    }
}
