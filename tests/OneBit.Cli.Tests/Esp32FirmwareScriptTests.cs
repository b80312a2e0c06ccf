using System.Runtime.Versioning;
using System.Text.RegularExpressions;

namespace OneBit.Cli.Tests;

/// <summary>
/// scripts/build-esp32-firmware.sh without docker, ESP-IDF or nf-interpreter: the script, copied into a made-up
/// repository (interop sources under the names its variables give), runs on a made-up nf-interpreter checkout (only
/// the files the script reads, in their formats); a docker stand-in runs the container's command line in the
/// checkout with cmake and git stand-ins that log their calls. The real build is described in device/FIRMWARE.md.
/// </summary>
[SupportedOSPlatform("linux")]
public partial class Esp32FirmwareScriptTests
{
    static readonly string RealScript = Path.Combine(Cli.RepoRoot, "scripts", "build-esp32-firmware.sh");

    /// <summary>A variable's value as the script sets it (`NAME=value   # comment`), so renames at merge keep these tests true.</summary>
    static string Variable(string name)
    {
        Match m = Regex.Match(File.ReadAllText(RealScript), $@"^{name}=(\S+)", RegexOptions.Multiline);
        Assert.True(m.Success, $"the script sets no {name}");
        return m.Groups[1].Value;
    }

    static readonly string Name = Variable("INTEROP_NAME"), InteropDir = Variable("INTEROP_DIR"), KernelsDir = Variable("KERNELS_DIR");

    const string Image = "ghcr.io/nanoframework/dev-container-esp32:v2.42";

    sealed class Fixture : IDisposable
    {
        public readonly string Root = Cli.TempDir();
        public string Repo => Path.Combine(Root, "repo");
        public string Nf => Path.Combine(Root, "nf-interpreter");
        public string Bin => Path.Combine(Root, "bin");
        public string Log => Path.Combine(Root, "calls.log");
        public string DockerArgs => Path.Combine(Root, "docker-args.txt");
        public string Script => Path.Combine(Repo, "scripts", "build-esp32-firmware.sh");

        public Fixture()
        {
            Write(Script, File.ReadAllText(RealScript));
            Write(Path.Combine(Repo, InteropDir, $"FindINTEROP-{Name}.cmake"), "# find module stand-in\n");
            Write(Path.Combine(Repo, InteropDir, "glue.cpp"), "// glue stand-in\n");
            Write(Path.Combine(Repo, KernelsDir, "include", "kernels.h"), "/* header */\n");
            Write(Path.Combine(Repo, KernelsDir, "src", "conv.c"), "/* kernel */\n");
            Write(Path.Combine(Repo, KernelsDir, "CMakeLists.txt"), "# the host build, not copied\n");

            Write(Path.Combine(Nf, "CMakePresets.json"), "{}\n");
            Write(Path.Combine(Nf, "targets", "ESP32", "CMakePresets.json"),
                "{ \"configurePresets\": [ { \"name\": \"ESP32_PSRAM_REV0\" }, { \"name\": \"ESP32_S3_QUAD\" } ] }\n");
            Write(Path.Combine(Nf, "targets", "ESP32", "CMakeLists.txt"), "set(ESP32_IDF_TAG \"5.5.4\" CACHE INTERNAL \"ESP32 IDF tag\")\n");
            Write(Path.Combine(Nf, "CMake", "Modules", "FindNF_NativeAssemblies.cmake"), "\n");
            Directory.CreateDirectory(Path.Combine(Nf, "InteropAssemblies"));
            Write(Path.Combine(Nf, ".devcontainer", "ESP32", "Dockerfile.ESP32"), $"FROM {Image}\n");
            Write(Path.Combine(Nf, ".devcontainer", "ESP32", "Dockerfile.ESP32.SRC"),
                "RUN git clone --branch v5.5.4 https://github.com/espressif/esp-idf --depth 1 --recursive ./sources/esp-idf\n");
            Write(Path.Combine(Nf, "config", "user-tools-repos.TEMPLATE.json"),
                "[ { \"name\": \"user-tools-repos-local\" }, { \"name\": \"user-tools-repos-container\" }, { \"name\": \"user-tools-repos-cloud\" } ]\n");
            Write(Path.Combine(Nf, "config", "user-prefs.TEMPLATE.json"), "{ \"name\": \"user-prefs\" }\n");
            Write(Path.Combine(Nf, "src", "CLR", "CorLib", "corlib_native.cpp"),
                "const CLR_RT_NativeAssemblyData g_CLR_AssemblyNative_mscorlib =\n{\n    \"mscorlib\",\n#if X\n    0x1549C856,\n#else\n    0xF0208DC0,\n");

            // docker: `info` answers per FAKE_DOCKER_INFO; `run` records its arguments and runs the container's
            // command line in the mounted checkout
            Stub("docker", $$"""
                if [ "$1" = info ]; then exit ${FAKE_DOCKER_INFO:-0}; fi
                printf '%s\n' "$@" > {{DockerArgs}}
                while [ $# -gt 0 ]; do case $1 in -v) vol=$2; shift 2 ;; -c) inner=$2; shift 2 ;; *) shift ;; esac; done
                cd "${vol%%:*}" && bash -c "$inner"
                """);
            Stub("cmake", $$"""
                echo "cmake $*" >> {{Log}}
                if [ "$1" = --build ]; then [ -z "$FAKE_BUILD_FAILS" ] || exit 3; mkdir -p build; printf '\xe9' > build/nanoCLR.bin; fi
                """);
            Stub("git", $$"""
                if [ "$1" = config ]; then echo "git $*" >> {{Log}}; exit 0; fi
                exit 128
                """);
        }

        static void Write(string path, string text)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, text);
        }

        void Stub(string name, string body)
        {
            Write(Path.Combine(Bin, name), "#!/bin/bash\n" + body + "\n");
            File.SetUnixFileMode(Path.Combine(Bin, name), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        public Cli.Result Run(Dictionary<string, string?>? env, params string[] args)
        {
            var all = new Dictionary<string, string?> { ["PATH"] = Bin + ":" + Environment.GetEnvironmentVariable("PATH"), ["DOCKER"] = null };
            foreach (var (k, v) in env ?? new()) all[k] = v;
            return Cli.Bash(all, new[] { Script }.Concat(args).ToArray());
        }

        public string[] Calls => File.Exists(Log) ? File.ReadAllLines(Log) : Array.Empty<string>();

        /// <summary>Every file under the checkout, relative, sorted.</summary>
        public string[] Files() => Directory.GetFiles(Nf, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Nf, f)).OrderBy(f => f, StringComparer.Ordinal).ToArray();

        public void Dispose() => Directory.Delete(Root, true);
    }

    static string Configure(string target) =>
        $"cmake --preset {target} -DESP32_IDF_PATH=/sources/esp-idf -DCMAKE_BUILD_TYPE=MinSizeRel -DNF_INTEROP_ASSEMBLIES={Name}";

    [Fact]
    public void ScriptParses()
    {
        Cli.Result r = Cli.Bash(new Dictionary<string, string?>(), "-n", RealScript);
        Assert.True(r.ExitCode == 0, r.Err);
    }

    [Fact]
    public void DryRunPrintsEveryStepAndChangesNothing()
    {
        using var f = new Fixture();
        string[] before = f.Files();

        Cli.Result r = f.Run(null, "--dry-run", f.Nf);

        Assert.True(r.ExitCode == 0, r.Out + r.Err);
        Assert.Equal(before, f.Files());
        Assert.Empty(f.Calls);
        Assert.False(File.Exists(f.DockerArgs));
        string dest = Path.Combine(f.Nf, "InteropAssemblies", Name);
        string kernels = Path.Combine(dest, Path.GetFileName(KernelsDir)), glue = Path.Combine(dest, Path.GetFileName(InteropDir));
        string[] lines = r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(new[]
        {
            $"nf-interpreter: {f.Nf} (not a git checkout)",
            "target:         ESP32_PSRAM_REV0",
            $"dev container:  {Image} (ESP-IDF v5.5.4, pinned in targets/ESP32/CMakeLists.txt)",
            $"interop:        {Name} from {InteropDir}, C kernels from {KernelsDir}",
            "mscorlib:       native checksum 0x1549C856 (with reflection); the app image's mscorlib must have the same (app.manifest.json: nativeMethodsChecksum of mscorlib)",
            "dry run: the steps below are printed, not run",
            $"+ rm -rf {dest}",
            $"+ mkdir -p {glue} {kernels}",
            $"+ cp -R {f.Repo}/{InteropDir}/. {glue}/",
            $"+ cp -R {f.Repo}/{KernelsDir}/include {f.Repo}/{KernelsDir}/src {kernels}/",
            $"+ cp {f.Repo}/{InteropDir}/FindINTEROP-{Name}.cmake {f.Nf}/CMake/Modules/",
        }, lines[..11]);
        Assert.StartsWith("+ awk ", lines[11]);
        Assert.EndsWith($"{f.Nf}/config/user-tools-repos.TEMPLATE.json > {f.Nf}/config/user-tools-repos.json", lines[11]);
        Assert.Equal($"+ cp {f.Nf}/config/user-prefs.TEMPLATE.json {f.Nf}/config/user-prefs.json", lines[12]);
        Assert.Equal($"in the container: {Configure("ESP32_PSRAM_REV0")} && cmake --build --preset ESP32_PSRAM_REV0", lines[13]);
        Assert.StartsWith($"+ docker run --rm -v {f.Nf}:/workspaces/nf-interpreter -w /workspaces/nf-interpreter {Image} bash -c ", lines[14]);
        Assert.Equal($"nanoCLR would be: {f.Nf}/build/nanoCLR.bin", lines[15]);
        Assert.Equal(16, lines.Length);
    }

    [Fact]
    public void BuildCopiesTheSourcesAndRunsTheDevContainerThenNamesNanoClr()
    {
        using var f = new Fixture();
        string stale = Path.Combine(f.Nf, "InteropAssemblies", Name, "removed-since.cpp");
        Directory.CreateDirectory(Path.GetDirectoryName(stale)!);
        File.WriteAllText(stale, "");
        string[] before = f.Files();

        Cli.Result r = f.Run(null, f.Nf, "ESP32_S3_QUAD");

        Assert.True(r.ExitCode == 0, r.Out + r.Err);
        string kernels = $"InteropAssemblies/{Name}/{Path.GetFileName(KernelsDir)}";
        Assert.Equal(new[]
        {
            $"CMake/Modules/FindINTEROP-{Name}.cmake",
            $"InteropAssemblies/{Name}/{Path.GetFileName(InteropDir)}/FindINTEROP-{Name}.cmake",
            $"InteropAssemblies/{Name}/{Path.GetFileName(InteropDir)}/glue.cpp",
            $"{kernels}/include/kernels.h",
            $"{kernels}/src/conv.c",
            "build/nanoCLR.bin",
            "config/user-prefs.json",
            "config/user-tools-repos.json",
        }.OrderBy(p => p, StringComparer.Ordinal), f.Files().Except(before).ToArray());
        Assert.False(File.Exists(stale));
        // the empty preset of nanoFramework's CI under the name the presets include; the others keep theirs
        Assert.Equal("[ { \"name\": \"user-tools-repos-local\" }, { \"name\": \"user-tools-repos-container\" }, { \"name\": \"user-tools-repos\" } ]\n",
            File.ReadAllText(Path.Combine(f.Nf, "config", "user-tools-repos.json")));
        Assert.Equal(new[] { "run", "--rm", "-v", $"{f.Nf}:/workspaces/nf-interpreter", "-w", "/workspaces/nf-interpreter", Image, "bash", "-c" },
            File.ReadAllLines(f.DockerArgs)[..9]);
        Assert.Equal(new[]
        {
            "git config --global --add safe.directory *",
            Configure("ESP32_S3_QUAD"),
            "cmake --build --preset ESP32_S3_QUAD",
        }, f.Calls);
        Assert.Contains($"nanoCLR: {f.Nf}/build/nanoCLR.bin", r.Out);
        Assert.Contains($"onebit flash --port <PORT> --target ESP32_S3_QUAD --clrfile {f.Nf}/build/nanoCLR.bin", r.Out);

        // a second run keeps the user's preset files as they are
        File.WriteAllText(Path.Combine(f.Nf, "config", "user-prefs.json"), "mine");
        Assert.Equal(0, f.Run(null, f.Nf).ExitCode);
        Assert.Equal("mine", File.ReadAllText(Path.Combine(f.Nf, "config", "user-prefs.json")));
    }

    [Fact]
    public void WithoutDockerTheSourcesAreInPlaceAndTheManualStepsPrinted()
    {
        using var f = new Fixture();

        Cli.Result missing = f.Run(new() { ["DOCKER"] = Path.Combine(f.Root, "no-docker") }, f.Nf);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("no-docker is not installed", missing.Err);
        Assert.Contains("\"Reopen in Container\", choose nanoFramework-ESP32", missing.Err);
        Assert.Contains($"  {Configure("ESP32_PSRAM_REV0")}\n  cmake --build --preset ESP32_PSRAM_REV0\n", missing.Err);
        Assert.True(File.Exists(Path.Combine(f.Nf, "CMake", "Modules", $"FindINTEROP-{Name}.cmake")));
        Assert.Empty(f.Calls);

        Cli.Result noDaemon = f.Run(new() { ["FAKE_DOCKER_INFO"] = "1" }, f.Nf);
        Assert.Equal(2, noDaemon.ExitCode);
        Assert.Contains("docker cannot reach its daemon", noDaemon.Err);
        Assert.False(File.Exists(f.DockerArgs));
    }

    [Fact]
    public void AFailedBuildFailsTheScriptAndStillReturnsTheBuildFolder()
    {
        using var f = new Fixture();

        Cli.Result r = f.Run(new() { ["FAKE_BUILD_FAILS"] = "1" }, f.Nf);

        Assert.Equal(1, r.ExitCode);
        Assert.Contains("the build in the dev container failed", r.Err);
        Assert.DoesNotContain("nanoCLR:", r.Out);
        Assert.Equal("cmake --build --preset ESP32_PSRAM_REV0", f.Calls[^1]);
    }

    [Fact]
    public void RefusesWhatItCannotBuild()
    {
        using var f = new Fixture();

        Cli.Result notNf = f.Run(null, "--dry-run", f.Repo);
        Assert.Equal(1, notNf.ExitCode);
        Assert.Contains("not a checkout of nanoframework/nf-interpreter", notNf.Err);

        Cli.Result target = f.Run(null, "--dry-run", f.Nf, "ESP32_NOPE");
        Assert.Equal(1, target.ExitCode);
        Assert.Contains("no target ESP32_NOPE in targets/ESP32/CMakePresets.json; its targets: ESP32_PSRAM_REV0 ESP32_S3_QUAD", target.Err);

        Directory.Delete(Path.Combine(f.Repo, InteropDir), true);
        Cli.Result sources = f.Run(null, f.Nf);
        Assert.Equal(1, sources.ExitCode);
        Assert.Contains($"this repository has no {InteropDir}: the interop assembly's sources", sources.Err);
        Assert.False(Directory.Exists(Path.Combine(f.Nf, "InteropAssemblies", Name)));
    }
}
