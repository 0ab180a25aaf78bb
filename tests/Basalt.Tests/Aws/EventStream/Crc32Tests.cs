using System.Text;
using Basalt.Aws.EventStream;
using Basalt.Testing;

namespace Basalt.Tests.Aws.EventStream;

public sealed class Crc32Tests
{
    [Fact]
    public void Check_value_of_the_IEEE_polynomial_is_CBF43926()
    {
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));
        Assert.Equal(0u, Crc32.Compute([]));
    }

    [Fact]
    public async Task Matches_zlib_crc32_for_every_length_up_to_300()
    {
        var data = new byte[300];
        new Random(42).NextBytes(data);
        var script = "import sys,zlib,base64\nd=base64.b64decode(sys.stdin.read())\nprint(' '.join(str(zlib.crc32(d[:n])) for n in range(len(d)+1)))";
        var run = await ProcessRunner.RunAsync(ExternalTools.Python(), ["-c", script], stdin: Convert.ToBase64String(data));
        Assert.True(run.ExitCode == 0, run.ToString());

        var expected = run.Stdout.Trim().Split(' ').Select(uint.Parse).ToArray();
        Assert.Equal(301, expected.Length);
        for (var n = 0; n <= 300; n++)
        {
            Assert.Equal(expected[n], Crc32.Compute(data.AsSpan(0, n)));
        }
    }

    [Fact]
    public void Append_continues_a_running_checksum()
    {
        var text = Encoding.UTF8.GetBytes("The quick brown fox jumps over the lazy dog");
        for (var split = 0; split <= text.Length; split++)
        {
            Assert.Equal(0x414FA339u, Crc32.Append(Crc32.Compute(text.AsSpan(0, split)), text.AsSpan(split)));
        }
    }
}
