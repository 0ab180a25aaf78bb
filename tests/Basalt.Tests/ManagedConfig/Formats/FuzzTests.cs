using System.Diagnostics;
using Basalt.Diagnostics;
using Basalt.ManagedConfig.Formats;
using Basalt.Testing;
using Xunit.Abstractions;

namespace Basalt.Tests.ManagedConfig.Formats;

/// <summary>
/// Feeds mutated files (bit flips, truncation, insertions, deletions, duplicated ranges; seeded) to every parser.
/// Zero exceptions reach the caller and no parser bug is swallowed: the catch-all's InternalError code must never
/// appear. Every error names a fix.
/// </summary>
public sealed class FuzzTests(ITestOutputHelper output)
{
    private const int Iterations = 4000;

    private static readonly byte[][] Tokens =
    [
        "<dict>"u8.ToArray(), "</dict>"u8.ToArray(), "<array>"u8.ToArray(), "<key>"u8.ToArray(), "<string>"u8.ToArray(), "<integer>"u8.ToArray(),
        "&"u8.ToArray(), "<!DOCTYPE x [<!ENTITY a \"aaaa\">]>"u8.ToArray(), "\""u8.ToArray(), "\\"u8.ToArray(), "\r\n"u8.ToArray(), "["u8.ToArray(), "{"u8.ToArray(),
        "}"u8.ToArray(), "]"u8.ToArray(), ","u8.ToArray(), "hex(2):"u8.ToArray(), "dword:"u8.ToArray(), "=-"u8.ToArray(), "@="u8.ToArray(),
        "[-HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Claude]"u8.ToArray(), "\\\r\n"u8.ToArray(), "'"u8.ToArray(), "[char]"u8.ToArray(), "("u8.ToArray(),
        [0x00], [0xFF], [0xFE], [0xFF, 0xFE], [0xEF, 0xBB, 0xBF], [0x30, 0x80], [0xD8, 0x00], "bplist00"u8.ToArray(), [0xDF], [0xAF], [0x5F, 0x10, 0xFF],
    ];

    [Fact]
    public async Task Mutated_inputs_never_throw_and_never_hit_the_internal_error_path()
    {
        var seeds = await SeedsAsync();
        var formats = Enum.GetValues<ConfigFormat>();
        var random = new Random(1234);
        var watch = Stopwatch.StartNew();
        long bytes = 0;
        for (var i = 0; i < Iterations; i++)
        {
            var (format, seed) = seeds[random.Next(seeds.Count)];
            var input = Mutate(seed, random);
            bytes += input.Length;
            Check(input, format, i);
            Check(input, formats[random.Next(formats.Length)], i);
        }

        output.WriteLine($"{Iterations} mutated inputs x 2 parsers, {bytes / 1024} KiB, {watch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public void Mutated_config_library_folders_never_throw()
    {
        var random = new Random(99);
        var files = ManagedConfigWriter.WriteConfigLibrary(RandomConfigurations.Create(new Random(5)), "abc", "Test");
        using var dir = new TempDirectory("h2-fuzzlib");
        for (var i = 0; i < 300; i++)
        {
            foreach (var (name, bytes) in files)
            {
                dir.Write(name, random.Next(3) == 0 ? bytes : Mutate(bytes, random));
            }

            var read = ManagedConfigReader.ReadFile(dir.Path);
            AssertHealthy(read.ParseDiagnostics, i);
        }
    }

    private static void Check(byte[] input, ConfigFormat format, int iteration)
    {
        var read = ManagedConfigReader.Read(input, format, "fuzz");
        AssertHealthy(read.ParseDiagnostics, iteration);
        Assert.All(read.Entries, e => Assert.NotNull(e.Key));
    }

    private static void AssertHealthy(IReadOnlyList<Diagnostic> diagnostics, int iteration)
    {
        foreach (var d in diagnostics)
        {
            Assert.True(d.Code != FormatDiagnosticCodes.InternalError, $"iteration {iteration}: parser bug: {d}");
            Assert.False(string.IsNullOrWhiteSpace(d.Message));
            Assert.True(d.Severity != DiagnosticSeverity.Error || !string.IsNullOrWhiteSpace(d.Fix), $"iteration {iteration}: error without fix: {d}");
        }
    }

    private static byte[] Mutate(byte[] seed, Random random)
    {
        var data = new List<byte>(seed);
        for (var n = random.Next(1, 4); n > 0; n--)
        {
            switch (random.Next(6))
            {
                case 0 when data.Count > 0:
                    for (var k = random.Next(1, 9); k > 0; k--)
                    {
                        var at = random.Next(data.Count);
                        data[at] ^= (byte)(1 << random.Next(8));
                    }

                    break;
                case 1 when data.Count > 0:
                    data = data.Take(random.Next(data.Count + 1)).ToList();
                    break;
                case 2:
                    data.InsertRange(random.Next(data.Count + 1), Tokens[random.Next(Tokens.Length)]);
                    break;
                case 3:
                    var noise = new byte[random.Next(1, 16)];
                    random.NextBytes(noise);
                    data.InsertRange(random.Next(data.Count + 1), noise);
                    break;
                case 4 when data.Count > 1:
                    var start = random.Next(data.Count);
                    data.RemoveRange(start, random.Next(1, Math.Min(32, data.Count - start) + 1));
                    break;
                case 5 when data.Count > 1:
                    var from = random.Next(data.Count);
                    var slice = data.Skip(from).Take(random.Next(1, 64)).ToList();
                    data.InsertRange(random.Next(data.Count + 1), slice);
                    break;
            }
        }

        return [.. data];
    }

    private static async Task<List<(ConfigFormat, byte[])>> SeedsAsync()
    {
        var seeds = new List<(ConfigFormat, byte[])>();
        var random = new Random(77);
        foreach (var format in new[] { ConfigFormat.LinuxJson, ConfigFormat.MobileConfig, ConfigFormat.Plist, ConfigFormat.Reg, ConfigFormat.PowerShell })
        {
            for (var i = 0; i < 3; i++)
            {
                seeds.Add((format, ManagedConfigWriter.Write(format, RandomConfigurations.Create(random), new ExportOptions { RemoveStaleValues = i == 1 })));
            }
        }

        seeds.Add((ConfigFormat.Reg, System.Text.Encoding.UTF8.GetBytes(
            "Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Claude]\r\n\"a\"=dword:00000001\r\n\"b\"=hex(2):25,00,\\\r\n  41,00\r\n@=\"x\"\r\n" +
            "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Claude\\sub]\r\n\"c\"=\"d\"\r\n[-HKEY_CURRENT_USER\\SOFTWARE\\Policies\\Claude]\r\n")));
        seeds.Add((ConfigFormat.MobileConfig, System.Text.Encoding.UTF8.GetBytes(
            "<?xml version=\"1.0\"?><plist><dict><key>PayloadType</key><string>Configuration</string><key>PayloadContent</key><array><dict>" +
            "<key>PayloadType</key><string>com.apple.ManagedClient.preferences</string><key>PayloadContent</key><dict><key>com.anthropic.claudefordesktop</key>" +
            "<dict><key>Forced</key><array><dict><key>mcx_preference_settings</key><dict><key>a</key><array><integer>1</integer><real>2.5</real><true/><date>2024-01-01T00:00:00Z</date><data>AA==</data></array>" +
            "</dict></dict></array></dict></dict></dict></array></dict></plist>")));
        seeds.Add((ConfigFormat.ConfigLibrary, """{"enterpriseConfig":{"a":"b","c":[1,{"d":null}]},"x":1}"""u8.ToArray()));

        using var dir = new TempDirectory("h2-fuzzseed");
        var xml = dir.Write("p.plist", ManagedConfigWriter.Write(ConfigFormat.Plist, RandomConfigurations.Create(random)));
        var binary = dir.Combine("p.bin");
        await FormatTools.RunAsync("plistutil", "apt-get install -y libplist-utils", "-i", xml, "-o", binary, "-f", "bin");
        seeds.Add((ConfigFormat.Plist, await File.ReadAllBytesAsync(binary)));
        return seeds;
    }
}
