using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using Basalt.IO;

namespace Basalt.Credentials.Cache;

/// <summary>
/// Where the 256-bit key that encrypts the credential cache lives: the OS secret store when there is one (macOS
/// Keychain through <c>security</c>, Windows DPAPI, the Linux Secret Service through <c>secret-tool</c> when it is
/// installed and a session bus is running), otherwise a 0600 key file next to the cache, with a warning because
/// anyone who can read the user's files can then read the cache. Cowork stores its own sign-in the same way
/// (cowork3p-reference §8: "stored encrypted with OS secure storage").
/// </summary>
internal abstract class CacheKeyStore
{
    public const string ServiceName = "basalt-credential-cache";

    /// <summary>Short name for diagnostics (<c>keychain</c>, <c>dpapi</c>, <c>secret-service</c>, <c>key-file</c>).</summary>
    public abstract string Name { get; }

    /// <summary>The key, created and stored on first use.</summary>
    public abstract byte[] GetOrCreateKey(TextWriter log);

    /// <summary>Picks the best store available on this machine.</summary>
    public static CacheKeyStore Select(CredentialEnvironment environment, string cacheDirectory)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var keyFile = Path.Combine(cacheDirectory, "cache.key");
        if (environment.Get("BASALT_CREDENTIAL_KEY_STORE") is "file")
        {
            return new KeyFileStore(keyFile, warn: false);
        }

        if (OperatingSystem.IsWindows())
        {
            return new DpapiStore(Path.Combine(cacheDirectory, "cache.key.dpapi"));
        }

        var account = environment.Get("USER") ?? environment.Get("LOGNAME") ?? Environment.UserName;
        if (OperatingSystem.IsMacOS() && File.Exists("/usr/bin/security"))
        {
            return new CommandStore("keychain", new KeychainCommands(account), new KeyFileStore(keyFile, warn: true));
        }

        if (FindOnPath(environment, "secret-tool") is { } secretTool && HasSessionBus(environment))
        {
            return new CommandStore("secret-service", new SecretToolCommands(secretTool, account), new KeyFileStore(keyFile, warn: true));
        }

        return new KeyFileStore(keyFile, warn: true);
    }

    private static bool HasSessionBus(CredentialEnvironment environment)
        => environment.Get("DBUS_SESSION_BUS_ADDRESS") is not null
           || (environment.Get("XDG_RUNTIME_DIR") is { } runtime && File.Exists(Path.Combine(runtime, "bus")));

    private static string? FindOnPath(CredentialEnvironment environment, string name)
        => (environment.Get("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, name))
            .FirstOrDefault(File.Exists);

    internal static byte[] NewKey() => RandomNumberGenerator.GetBytes(32);

    /// <summary>A key file, 0600, created atomically so two first runs cannot end up with different keys on disk.</summary>
    internal sealed class KeyFileStore(string path, bool warn) : CacheKeyStore
    {
        public override string Name => "key-file";

        public string Path { get; } = path;

        public override byte[] GetOrCreateKey(TextWriter log)
        {
            if (warn)
            {
                log.WriteLine($"warning: no OS secret store is available (Keychain, DPAPI, or secret-tool with a session bus); the credential cache key is kept in {Path} (readable only by you).");
            }

            if (TryRead(out var key))
            {
                return key;
            }

            key = NewKey();
            System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
            try
            {
                // CreateNew: when two processes race, exactly one key file wins and the loser reads it.
                var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
                if (!OperatingSystem.IsWindows())
                {
                    options.UnixCreateMode = AtomicFile.OwnerOnly;
                }

                var temp = Path + $".{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
                using (var stream = new FileStream(temp, options))
                {
                    stream.Write(System.Text.Encoding.ASCII.GetBytes(Convert.ToBase64String(key)));
                    stream.Flush(flushToDisk: true);
                }

                try
                {
                    File.Move(temp, Path, overwrite: false);
                }
                catch (IOException)
                {
                    File.Delete(temp);
                }
            }
            catch (IOException)
            {
            }

            return TryRead(out var stored) ? stored : key;
        }

        private bool TryRead(out byte[] key)
        {
            key = [];
            try
            {
                if (!File.Exists(Path))
                {
                    return false;
                }

                key = Convert.FromBase64String(File.ReadAllText(Path).Trim());
                return key.Length == 32;
            }
            catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException)
            {
                return false;
            }
        }
    }

    /// <summary>Commands of an OS tool that stores a secret; the secret travels on stdin, never on argv.</summary>
    internal interface ISecretCommands
    {
        (string File, string[] Args, string? Stdin) Lookup();

        (string File, string[] Args, string? Stdin) Store(string secret);
    }

    /// <summary>macOS Keychain through <c>security</c>; <c>-i</c> reads the command from stdin so the key is not on argv.</summary>
    internal sealed class KeychainCommands(string account) : ISecretCommands
    {
        public (string, string[], string?) Lookup()
            => ("/usr/bin/security", ["find-generic-password", "-s", ServiceName, "-a", account, "-w"], null);

        public (string, string[], string?) Store(string secret)
            => ("/usr/bin/security", ["-i"], $"add-generic-password -U -s {ServiceName} -a {account} -l \"Basalt credential cache\" -w {secret}\n");
    }

    /// <summary>The freedesktop Secret Service through libsecret's <c>secret-tool</c> (reads the secret from stdin).</summary>
    internal sealed class SecretToolCommands(string tool, string account) : ISecretCommands
    {
        public (string, string[], string?) Lookup()
            => (tool, ["lookup", "service", ServiceName, "account", account], null);

        public (string, string[], string?) Store(string secret)
            => (tool, ["store", "--label=Basalt credential cache", "service", ServiceName, "account", account], secret);
    }

    internal sealed class CommandStore(string name, ISecretCommands commands, KeyFileStore fallback) : CacheKeyStore
    {
        public override string Name => name;

        public override byte[] GetOrCreateKey(TextWriter log)
        {
            var (file, args, _) = commands.Lookup();
            if (Run(file, args, null, out var output) == 0 && TryDecode(output, out var key))
            {
                return key;
            }

            key = NewKey();
            var (storeFile, storeArgs, stdin) = commands.Store(Convert.ToBase64String(key));
            if (Run(storeFile, storeArgs, stdin ?? Convert.ToBase64String(key), out _) == 0
                && Run(file, args, null, out output) == 0 && TryDecode(output, out var stored))
            {
                // Read back: another process may have stored its key first; everyone must use the same one.
                return stored;
            }

            log.WriteLine($"warning: could not use the {name} secret store; falling back to a key file.");
            return fallback.GetOrCreateKey(TextWriter.Null);
        }

        private static bool TryDecode(string text, out byte[] key)
        {
            try
            {
                key = Convert.FromBase64String(text.Trim());
                return key.Length == 32;
            }
            catch (FormatException)
            {
                key = [];
                return false;
            }
        }

        private static int Run(string file, string[] args, string? stdin, out string stdout)
        {
            stdout = string.Empty;
            var info = new ProcessStartInfo(file)
            {
                UseShellExecute = false,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (var a in args)
            {
                info.ArgumentList.Add(a);
            }

            try
            {
                using var process = Process.Start(info);
                if (process is null)
                {
                    return -1;
                }

                if (stdin is not null)
                {
                    process.StandardInput.Write(stdin);
                }

                process.StandardInput.Close();
                var output = process.StandardOutput.ReadToEndAsync();
                _ = process.StandardError.ReadToEndAsync();
                if (!process.WaitForExit(TimeSpan.FromSeconds(10)))
                {
                    process.Kill(entireProcessTree: true);
                    return -1;
                }

                stdout = output.GetAwaiter().GetResult();
                return process.ExitCode;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                return -1;
            }
        }
    }

    /// <summary>Windows DPAPI (CryptProtectData, current user): the key file is useless on another account or machine.</summary>
    internal sealed class DpapiStore(string path) : CacheKeyStore
    {
        public override string Name => "dpapi";

        public override byte[] GetOrCreateKey(TextWriter log)
        {
            if (!OperatingSystem.IsWindows())
            {
                throw new PlatformNotSupportedException("DPAPI is only available on Windows.");
            }

            if (File.Exists(path))
            {
                try
                {
                    var key = Dpapi.Unprotect(File.ReadAllBytes(path));
                    if (key.Length == 32)
                    {
                        return key;
                    }
                }
                catch (Exception e) when (e is IOException or CryptographicException)
                {
                    log.WriteLine("warning: the credential cache key could not be decrypted; starting a new cache.");
                }
            }

            var fresh = NewKey();
            AtomicFile.WriteAllBytes(path, Dpapi.Protect(fresh), secret: true);
            return fresh;
        }
    }

    [SupportedOSPlatform("windows")]
    private static class Dpapi
    {
        private const int UiForbidden = 0x1;

        public static byte[] Protect(byte[] data) => Transform(data, protect: true);

        public static byte[] Unprotect(byte[] data) => Transform(data, protect: false);

        private static byte[] Transform(byte[] data, bool protect)
        {
            var input = GCHandle.Alloc(data, GCHandleType.Pinned);
            try
            {
                var inBlob = new DataBlob { Size = data.Length, Data = input.AddrOfPinnedObject() };
                var ok = protect
                    ? NativeMethods.CryptProtectData(ref inBlob, IntPtr.Zero, IntPtr.Zero, IntPtr.Zero, IntPtr.Zero, UiForbidden, out var outBlob)
                    : NativeMethods.CryptUnprotectData(ref inBlob, IntPtr.Zero, IntPtr.Zero, IntPtr.Zero, IntPtr.Zero, UiForbidden, out outBlob);
                if (!ok)
                {
                    throw new CryptographicException(Marshal.GetLastPInvokeError());
                }

                try
                {
                    var result = new byte[outBlob.Size];
                    Marshal.Copy(outBlob.Data, result, 0, outBlob.Size);
                    return result;
                }
                finally
                {
                    NativeMethods.LocalFree(outBlob.Data);
                }
            }
            finally
            {
                input.Free();
            }
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct DataBlob
    {
        public int Size;
        public IntPtr Data;
    }

    private static class NativeMethods
    {
        [DllImport("crypt32.dll", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.System32)]
        [return: MarshalAs(UnmanagedType.Bool)]
        public static extern bool CryptProtectData(ref DataBlob dataIn, IntPtr description, IntPtr entropy, IntPtr reserved, IntPtr prompt, int flags, out DataBlob dataOut);

        [DllImport("crypt32.dll", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.System32)]
        [return: MarshalAs(UnmanagedType.Bool)]
        public static extern bool CryptUnprotectData(ref DataBlob dataIn, IntPtr description, IntPtr entropy, IntPtr reserved, IntPtr prompt, int flags, out DataBlob dataOut);

        [DllImport("kernel32.dll")]
        [DefaultDllImportSearchPaths(DllImportSearchPath.System32)]
        public static extern IntPtr LocalFree(IntPtr handle);
    }
}
