using System.Runtime.Versioning;

namespace OneBit.Cli.Tests;

/// <summary>
/// scripts/install-prerequisites.sh (the README's first command, .ci/run) against stand-ins for id, sudo, dpkg-query,
/// apt-cache and apt-get that log their calls, so every case runs without touching this machine's packages: root
/// with or without package lists, a user with sudo, a user without it, stale lists, nothing to do.
/// </summary>
[SupportedOSPlatform("linux")]
public class InstallPrerequisitesTests
{
    sealed class Machine : IDisposable
    {
        public readonly string Dir = Cli.TempDir();
        string Bin => Path.Combine(Dir, "bin");
        string Log => Path.Combine(Dir, "calls.log");

        /// <param name="uid">What `id -u` prints.</param>
        /// <param name="sudo">Whether a sudo is on the PATH.</param>
        /// <param name="lists">Whether the package lists are downloaded (apt-cache knows the package).</param>
        /// <param name="staleLists">Whether the first install fails as with lists older than the mirror.</param>
        /// <param name="installed">Whether the package is installed already.</param>
        public Machine(int uid, bool sudo, bool lists, bool staleLists = false, bool installed = false)
        {
            Directory.CreateDirectory(Bin);
            foreach (string tool in new[] { "grep", "mktemp", "rm", "cat", "env", "touch" })
                File.CreateSymbolicLink(Path.Combine(Bin, tool), Which(tool));
            if (lists) File.WriteAllText(Path.Combine(Dir, "lists"), "");
            if (staleLists) File.WriteAllText(Path.Combine(Dir, "stale"), "");
            if (installed) File.WriteAllText(Path.Combine(Dir, "installed"), "");
            string state = Dir;
            Stub("id", $"[ \"$1\" = -u ] && echo {uid}");
            if (sudo) Stub("sudo", $"echo \"sudo $*\" >> {Log}; export FAKE_EUID=0; exec \"$@\"");
            Stub("dpkg-query", $"[ -e {state}/installed ] && printf 'install ok installed' || {{ echo 'dpkg-query: no packages found' >&2; exit 1; }}");
            Stub("apt-cache", $"echo \"apt-cache $*\" >> {Log}; [ -e {state}/lists ] || {{ echo 'E: No packages found' >&2; exit 100; }}");
            Stub("apt-get", $$"""
                own_uid={{uid}}
                echo "apt-get $* (uid ${FAKE_EUID:-$own_uid}, DEBIAN_FRONTEND=$DEBIAN_FRONTEND)" >> {{Log}}
                case " $* " in
                  *" update "*) touch {{state}}/lists; rm -f {{state}}/stale; echo 'Reading package lists...' ;;
                  *" install "*)
                    if [ ! -e {{state}}/lists ]; then echo 'E: Unable to locate package dataset-fashion-mnist' >&2; exit 100; fi
                    if [ -e {{state}}/stale ]; then echo 'E: Failed to fetch ... 404 Not Found' >&2; exit 100; fi
                    touch {{state}}/installed; echo 'Setting up dataset-fashion-mnist ...' ;;
                esac
                """);
        }

        void Stub(string name, string body)
        {
            string path = Path.Combine(Bin, name);
            File.WriteAllText(path, "#!/bin/bash\n" + body + "\n");
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        static string Which(string tool) =>
            new[] { "/usr/bin", "/bin" }.Select(d => Path.Combine(d, tool)).First(File.Exists);

        public Cli.Result Install() =>
            Cli.Bash(Path.Combine(Cli.RepoRoot, "scripts", "install-prerequisites.sh"), new Dictionary<string, string?> { ["PATH"] = Bin });

        /// <summary>The script with package names as arguments (through a wrapper: Cli.Bash passes none).</summary>
        public Cli.Result Install(params string[] packages)
        {
            string wrapper = Path.Combine(Dir, "install-named.sh");
            File.WriteAllText(wrapper, $"exec /bin/bash {Path.Combine(Cli.RepoRoot, "scripts", "install-prerequisites.sh")} {string.Join(' ', packages)}\n");
            return Cli.Bash(wrapper, new Dictionary<string, string?> { ["PATH"] = Bin });
        }

        public string[] Calls => File.Exists(Log) ? File.ReadAllLines(Log) : Array.Empty<string>();
        public bool Installed => File.Exists(Path.Combine(Dir, "installed"));
        public void Dispose() => Directory.Delete(Dir, true);
    }

    [Fact]
    public void AsRootOnAFreshMachineItUpdatesTheListsThenInstallsWithoutSudo()
    {
        using var m = new Machine(uid: 0, sudo: false, lists: false);
        Cli.Result r = m.Install();
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.True(m.Installed);
        Assert.Equal(new[]
        {
            "apt-cache show dataset-fashion-mnist",
            "apt-get -q update (uid 0, DEBIAN_FRONTEND=noninteractive)",
            "apt-get -q install -y dataset-fashion-mnist (uid 0, DEBIAN_FRONTEND=noninteractive)",
        }, m.Calls);
        Assert.Equal("", r.Out);
        Assert.Equal("installing dataset-fashion-mnist (Debian packages)\n", r.Err);
    }

    [Fact]
    public void PackagesNamedAsArgumentsReplaceTheDefaultList()
    {
        using var m = new Machine(uid: 0, sudo: false, lists: true);
        Cli.Result r = m.Install("gcc", "cmake");
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Equal(new[]
        {
            "apt-cache show gcc cmake",
            "apt-get -q install -y gcc cmake (uid 0, DEBIAN_FRONTEND=noninteractive)",
        }, m.Calls);
        Assert.Equal("installing gcc cmake (Debian packages)\n", r.Err);
    }

    [Fact]
    public void AsAUserWithSudoItInstallsThroughSudoAndSkipsTheUpdateWhenTheListsKnowThePackage()
    {
        using var m = new Machine(uid: 1000, sudo: true, lists: true);
        Cli.Result r = m.Install();
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.True(m.Installed);
        Assert.Equal(new[]
        {
            "apt-cache show dataset-fashion-mnist",
            "sudo env DEBIAN_FRONTEND=noninteractive apt-get -q install -y dataset-fashion-mnist",
            "apt-get -q install -y dataset-fashion-mnist (uid 0, DEBIAN_FRONTEND=noninteractive)",
        }, m.Calls);
    }

    [Fact]
    public void AsAUserWithoutSudoItSaysWhatToDoAndInstallsNothing()
    {
        using var m = new Machine(uid: 1000, sudo: false, lists: true);
        Cli.Result r = m.Install();
        Assert.Equal(1, r.ExitCode);
        Assert.False(m.Installed);
        Assert.Empty(m.Calls);
        Assert.Equal("error: installing dataset-fashion-mnist needs root: run this script as root, or install sudo\n", r.Err);
    }

    [Fact]
    public void WithStaleListsItUpdatesOnceAndRetries()
    {
        using var m = new Machine(uid: 0, sudo: false, lists: true, staleLists: true);
        Cli.Result r = m.Install();
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.True(m.Installed);
        Assert.Equal(new[] { "apt-cache show", "apt-get -q install", "apt-get -q update", "apt-get -q install" },
            m.Calls.Select(c => string.Join(' ', c.Split(' ').Take(c.StartsWith("apt-cache") ? 2 : 3))).ToArray());
    }

    [Fact]
    public void WhenAptFailsItShowsAptsOutputAndFails()
    {
        using var m = new Machine(uid: 0, sudo: false, lists: false);
        File.Delete(Path.Combine(m.Dir, "bin", "apt-get"));
        File.WriteAllText(Path.Combine(m.Dir, "bin", "apt-get"), "#!/bin/bash\necho 'E: Could not get lock /var/lib/dpkg/lock-frontend' >&2\nexit 100\n");
        File.SetUnixFileMode(Path.Combine(m.Dir, "bin", "apt-get"), UnixFileMode.UserRead | UnixFileMode.UserExecute);
        Cli.Result r = m.Install();
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("E: Could not get lock", r.Err);
    }

    [Fact]
    public void WhenEverythingIsInstalledItDoesNothingAndPrintsNothing()
    {
        using var m = new Machine(uid: 1000, sudo: false, lists: false, installed: true);
        Cli.Result r = m.Install();
        Assert.Equal(0, r.ExitCode);
        Assert.Empty(m.Calls);
        Assert.Equal("", r.Out + r.Err);
    }
}
