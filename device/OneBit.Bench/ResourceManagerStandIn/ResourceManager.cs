using System;
using System.Reflection;
using System.Runtime.CompilerServices;

// any version: nothing references this assembly at compile time (the bench finds it with Assembly.Load by name);
// it names the folder of the packages-folder layout that OneBit.BenchImage writes
[assembly: AssemblyVersion("1.0.0.0")]

namespace System.Resources
{
    /// <summary>
    /// Opens one resource file of an assembly (invariant culture only: all the bench needs) for nanoCLR's native
    /// resource reader, which does the reading. Its members are laid out for nanoCLR's native table of
    /// nanoFramework.ResourceManager (README.md): do not add, remove or reorder methods or the two fields.
    /// </summary>
    public class ResourceManager
    {
        // The native methods read these by position: field 1 and field 2 of the object.
#pragma warning disable CS0414 // assigned here, read only by nanoCLR's native code
        private int _resourceFileId;
        private Assembly _assembly;
#pragma warning restore CS0414

        // Table slots 0 and 1. Within a type the table lists instance methods before static ones, each group in
        // declaration order.
        [MethodImpl(MethodImplOptions.InternalCall)]
        private extern object GetObjectInternal(short id);

        [MethodImpl(MethodImplOptions.InternalCall)]
        private extern object GetObjectInternal(short id, int offset, int length);

        // Slots 2 to 10: nine instance methods with IL.
        public ResourceManager(string baseName, Assembly assembly)
        {
            _resourceFileId = FindResource(baseName + ".nanoresources", assembly);
            if (_resourceFileId < 0) throw new ArgumentException("no resource file " + baseName + " in the given assembly");
            _assembly = assembly;
        }

        // nanoCLR's native GetObject calls these two back by name to do the reading on its managed stack.
        private object GetObjectFromId(short id)
        {
            object value = GetObjectInternal(id);
            if (value == null) throw new ArgumentException("no resource with id " + id.ToString());
            return value;
        }

        private object GetObjectChunkFromId(short id, int offset, int length)
        {
            object value = GetObjectInternal(id, offset, length);
            if (value == null) throw new ArgumentException("no resource with id " + id.ToString());
            return value;
        }

        // Six more instance methods with IL hold slots 5 to 10, so that the static natives below land on slots 11
        // and 12. nanoCLR never calls them.
        private void Slot5() { }
        private void Slot6() { }
        private void Slot7() { }
        private void Slot8() { }
        private void Slot9() { }
        private void Slot10() { }

        // Slots 11 and 12.
        [MethodImpl(MethodImplOptions.InternalCall)]
        private static extern int FindResource(string baseName, Assembly assembly);

        [MethodImpl(MethodImplOptions.InternalCall)]
        internal static extern object GetObject(ResourceManager rm, Enum id);
    }
}
