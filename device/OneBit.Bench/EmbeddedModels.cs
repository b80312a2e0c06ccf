using System;
using System.Reflection;

namespace OneBit.Bench
{
    /// <summary>
    /// The real model blobs that host-tools/OneBit.BenchImage embedded (--model NAME=path): binary resources of the
    /// embedded resource file OneBit.Bench.Models.resources, one entry per model named NAME, plus the entry "#models"
    /// listing the names (ASCII, each line ended by '\n') because nanoCLR cannot enumerate the entries of a resource
    /// file.
    /// They are read like device/OneBit.App reads its model (ResourceUtility.GetObject on a ResourceManager), but
    /// through reflection: the bench then compiles against mscorlib alone and needs nanoFramework.ResourceManager.pe
    /// only when models were embedded (this build's NuGet mirror does not carry that package).
    /// Keep the names in step with host-tools/OneBit.BenchImage/BenchModels.cs.
    /// </summary>
    public static class EmbeddedModels
    {
        public const string ResourceBaseName = "OneBit.Bench.Models";
        public const string IndexEntry = "#models";
        private const string ResourceManagerAssembly = "nanoFramework.ResourceManager";

        private static object _manager;
        private static MethodBase _getObject;

        /// <summary>The embedded models' names, in the order given to OneBit.BenchImage; empty when it embedded
        /// none.</summary>
        public static string[] Names()
        {
            if (!Embedded()) return new string[0];
            // OneBit.BenchImage allows only ASCII letters, digits, '-', '_' and '.' in names (System.Text is not in
            // mscorlib)
            byte[] index = Bytes(IndexEntry);
            int count = 0;
            for (int i = 0; i < index.Length; i++) if (index[i] == (byte)'\n') count++;
            string[] names = new string[count];
            int start = 0;
            count = 0;
            for (int i = 0; i < index.Length; i++)
            {
                if (index[i] != (byte)'\n') continue;
                char[] chars = new char[i - start];
                for (int k = 0; k < chars.Length; k++) chars[k] = (char)index[start + k];
                names[count++] = new string(chars);
                start = i + 1;
            }
            return names;
        }

        /// <summary>The blob of model <paramref name="name"/>, byte for byte as OneBit.BenchImage was given
        /// it.</summary>
        public static byte[] Blob(string name)
        {
            return Bytes(name);
        }

        /// <summary>
        /// mscorlib lists an assembly's resource files without nanoFramework.ResourceManager (internal
        /// Assembly.GetManifestResourceNames, reached by reflection): no file, no models, and no need for that assembly.
        /// </summary>
        private static bool Embedded()
        {
            MethodInfo list = typeof(Assembly).GetMethod("GetManifestResourceNames", BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic);
            if (list == null) throw new Exception("mscorlib has no Assembly.GetManifestResourceNames: cannot tell whether models are embedded");
            string[] files = (string[])list.Invoke(Assembly.GetExecutingAssembly(), null);
            for (int i = 0; i < files.Length; i++)
            {
                if (files[i] == ResourceBaseName + ".nanoresources") return true;
            }
            return false;
        }

        private static byte[] Bytes(string entry)
        {
            if (_manager == null) Open();
            // ResourceUtility.GetObject takes the entry id as an enum whose underlying type is short
            object id = (ResourceId)ResourceIds.FromName(entry);
            byte[] bytes = _getObject.Invoke(null, new object[] { _manager, id }) as byte[];
            if (bytes == null) throw new Exception("resource entry '" + entry + "' of " + ResourceBaseName + " is not binary data");
            return bytes;
        }

        private static void Open()
        {
            Assembly rm;
            try
            {
                rm = Assembly.Load(ResourceManagerAssembly);
            }
            catch (Exception)
            {
                rm = null;
            }
            if (rm == null)
            {
                throw new Exception("models are embedded but " + ResourceManagerAssembly + ".pe is not loaded: pass it to nanoCLR (OneBit.BenchImage copies it into its output folder)");
            }
            Type managerType = rm.GetType("System.Resources.ResourceManager");
            Type utility = rm.GetType("nanoFramework.Runtime.Native.ResourceUtility");
            ConstructorInfo ctor = managerType.GetConstructor(new Type[] { typeof(string), typeof(Assembly) });
            _manager = ctor.Invoke(new object[] { ResourceBaseName, Assembly.GetExecutingAssembly() });
            _getObject = utility.GetMethod("GetObject", new Type[] { managerType, typeof(Enum) });
        }

        /// <summary>Boxes an entry id the way the generated Resources.BinaryResources enum does (underlying type short).</summary>
        private enum ResourceId : short
        {
        }
    }
}
