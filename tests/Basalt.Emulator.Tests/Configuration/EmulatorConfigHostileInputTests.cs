using System.Diagnostics;
using Basalt.Diagnostics;
using Basalt.Emulator.Tests.Bedrock;
using Basalt.Testing;
using Basalt.Testing.Hostile;

namespace Basalt.Emulator.Tests.Configuration;

/// <summary>
/// The emulator's configuration file goes through the one bounded reader (issue 14, issue 13 item 2): the input
/// limits hold here as they do for deployment files, and every breach is a located diagnostic, never an
/// exception, a stack overflow or a memory spike.
/// </summary>
public sealed class EmulatorConfigHostileInputTests
{
    private const string LimitCode = "BSL0001";

    private static (EmulatorOptions Options, long Milliseconds, long Allocated) Measure(Func<EmulatorOptions> read)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        var options = read();
        return (options, watch.ElapsedMilliseconds, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void An_alias_bomb_is_refused_at_its_line_within_the_node_budget()
    {
        var (options, ms, allocated) = Measure(() => EmulatorOptions.Parse(HostileMutator.AliasBomb(9), "bomb.yaml"));

        var d = Assert.Single(options.Diagnostics, d => d.IsError);
        Assert.Equal(LimitCode, d.Code);
        Assert.Contains("alias", d.Message, StringComparison.Ordinal);
        Assert.Equal("bomb.yaml", d.Location!.File);
        Assert.True(d.Location.Line > 1, d.ToString());
        Assert.True(ms < 2000, $"{ms} ms");
        Assert.True(allocated < 200_000_000, $"{allocated:N0} bytes allocated");
    }

    [Theory]
    [InlineData("accounts: &a [*a]\n")]
    [InlineData("accounts: &a {b: *a}\n")]
    public void An_alias_to_its_own_enclosing_node_is_an_error_not_a_stack_overflow(string yaml)
    {
        var options = EmulatorOptions.Parse(yaml, "self.yaml");

        var d = Assert.Single(options.Diagnostics, d => d.IsError);
        Assert.Contains("*a", d.Message, StringComparison.Ordinal);
        Assert.Equal(1, d.Location!.Line);
    }

    [Theory]
    [InlineData("[", "]")]
    [InlineData("{a: ", "}")]
    public void Twenty_thousand_levels_of_nesting_stop_at_the_depth_limit(string open, string close)
    {
        var yaml = "users: " + string.Concat(Enumerable.Repeat(open, 20_000)) + string.Concat(Enumerable.Repeat(close, 20_000)) + "\n";
        var (options, ms, _) = Measure(() => EmulatorOptions.Parse(yaml, "deep.yaml"));

        var d = Assert.Single(options.Diagnostics, d => d.IsError);
        Assert.Equal(LimitCode, d.Code);
        Assert.Contains("nest", d.Message, StringComparison.Ordinal);
        Assert.True(ms < 2000, $"{ms} ms");
    }

    [Fact]
    public void An_oversized_file_is_refused_before_it_is_read()
    {
        using var dir = new TempDirectory("emu-hostile");
        var path = dir.Write("big.yaml", "region: us-east-1\n# " + new string('x', 5 * 1024 * 1024) + "\n");

        var (options, _, allocated) = Measure(() => EmulatorOptions.Load(path));

        var d = Assert.Single(options.Diagnostics);
        Assert.Equal(LimitCode, d.Code);
        Assert.Equal(path, d.Location!.File);
        Assert.Contains("input bytes", d.Message, StringComparison.Ordinal);
        Assert.True(allocated < 2_000_000, $"{allocated:N0} bytes allocated: the file was read");
    }

    [Fact]
    public void A_device_given_as_the_configuration_is_not_streamed()
    {
        var options = EmulatorOptions.Load("/dev/zero");

        var d = Assert.Single(options.Diagnostics);
        Assert.Equal("EMU1000", d.Code);
        Assert.Contains("not a regular file", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_utf8_is_an_encoding_error_at_its_line_not_a_replacement_character()
    {
        using var dir = new TempDirectory("emu-hostile");
        var path = dir.Combine("bad.yaml");
        File.WriteAllBytes(path, [.. "region: us-east-1\nhost: \""u8, 0xC3, 0x28, .. "\"\n"u8]);

        var d = Assert.Single(EmulatorOptions.Load(path).Diagnostics);

        Assert.Equal("BSL0002", d.Code);
        Assert.Equal(2, d.Location!.Line);
    }

    [Fact]
    public void A_reply_file_that_is_a_device_is_a_diagnostic_at_load()
    {
        var options = BedrockYamlTestData.Bedrock("""
            bedrock:
              replies:
                rules:
                  - contains: hi
                    replyFile: /dev/zero
            """, out var diagnostics);

        var d = Assert.Single(diagnostics, d => d.Code == "EMU2045");
        Assert.Equal(5, d.Location!.Line);
        Assert.Contains("not a regular file", d.Message, StringComparison.Ordinal);
        Assert.Empty(options.Replies.Rules);
    }

    [Fact]
    public void A_duplicate_key_is_reported_as_a_duplicate_with_its_line()
    {
        var options = EmulatorOptions.Parse("region: us-east-1\nregion: us-west-2\n", "dup.yaml");

        var d = Assert.Single(options.Diagnostics);
        Assert.Equal(("EMU1007", 2), (d.Code, d.Location!.Line));
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
    }
}
