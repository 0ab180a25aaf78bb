using System.Diagnostics;
using System.Text;
using Basalt.Deployment;
using Basalt.Deployment.Generation;
using Basalt.Deployment.Secrets;
using Basalt.ManagedConfig;
using Basalt.ManagedConfig.Formats;
using Basalt.Testing;

namespace Basalt.Tests.Deployment;

/// <summary>
/// The reproductions of issue 14 against the deployment path: each one once ate memory, overflowed the stack,
/// deleted a folder or wrote invalid output. Codes are compared as text so the same tests ran against the code
/// before the fix (where they failed) and after it.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DeploymentHostileInputTests
{
    private const string LimitCode = "BSL0001";
    private const string EncodingCode = "BSL0002";
    private const string OutsideFolderCode = "BSL7013";

    /// <summary>Issue 14 reproduction 1: 342 bytes, nine levels of nine aliases.</summary>
    internal static string AliasBomb()
    {
        var s = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        var previous = "a";
        foreach (var n in "bcdefghi")
        {
            s.Append(n).Append(": &").Append(n).Append(" [").Append(string.Join(",", Enumerable.Repeat("*" + previous, 9))).Append("]\n");
            previous = n.ToString();
        }

        return s.ToString();
    }

    [Fact]
    public void Nine_levels_of_nine_aliases_are_refused_with_a_located_limit_error_in_milliseconds()
    {
        var text = AliasBomb();
        Assert.Equal(342, text.Length);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        var result = DeploymentTestInput.Parse(text);
        watch.Stop();
        var d = Assert.Single(result.Diagnostics, d => d.Code == LimitCode);
        Assert.Contains("alias", d.Message, StringComparison.Ordinal);
        Assert.Equal("basalt.yaml", d.Location!.File);
        Assert.True(d.Location.Line > 1, d.ToString());
        Assert.False(result.Success);
        Assert.True(watch.ElapsedMilliseconds < 2000, $"{watch.ElapsedMilliseconds} ms");
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 200_000_000, "allocated too much");
    }

    [Theory]
    [InlineData("a: &a [*a]\n")]
    [InlineData("a: &a {b: *a}\n")]
    public void An_alias_to_its_own_enclosing_node_is_an_error_not_a_stack_overflow(string yaml)
    {
        var result = DeploymentTestInput.Parse(yaml);
        var d = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.Contains("*a", d.Message, StringComparison.Ordinal);
        Assert.Equal(1, d.Location!.Line);
    }

    [Theory]
    [InlineData(20_000, "[", "]")]
    [InlineData(20_000, "{a: ", "}")]
    public void Twenty_thousand_levels_of_nesting_stop_at_the_depth_limit(int depth, string open, string close)
    {
        var yaml = "a: " + string.Concat(Enumerable.Repeat(open, depth)) + string.Concat(Enumerable.Repeat(close, depth)) + "\n";
        var result = DeploymentTestInput.Parse(yaml);
        var d = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.Equal(LimitCode, d.Code);
        Assert.Contains("nest", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_fifty_megabyte_organization_name_is_refused_before_it_is_parsed()
    {
        var yaml = DeploymentTestInput.Minimal + "\norganization:\n  name: " + new string('x', 50 * 1024 * 1024) + "\n";
        var result = DeploymentTestInput.Parse(yaml);
        Assert.Equal(LimitCode, Assert.Single(result.Diagnostics).Code);
    }

    [Fact]
    public void A_long_value_inside_the_byte_limit_is_refused_at_its_line()
    {
        var yaml = DeploymentTestInput.Minimal + "\norganization:\n  name: " + new string('x', 300 * 1024) + "\n";
        var result = DeploymentTestInput.Parse(yaml);
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal(LimitCode, d.Code);
        Assert.Contains("string length", d.Message, StringComparison.Ordinal);
        Assert.Equal(DeploymentTestInput.Minimal.Split('\n').Length + 2, d.Location!.Line);
    }

    [Fact]
    public void A_mapping_with_more_entries_than_the_collection_limit_is_refused()
    {
        var yaml = DeploymentTestInput.Minimal + "\npolicy:\n" + string.Concat(Enumerable.Range(0, 10_001).Select(i => $"  k{i}: 1\n"));
        var result = DeploymentTestInput.Parse(yaml);
        Assert.Equal(LimitCode, Assert.Single(result.Diagnostics).Code);
    }

    [Fact]
    public void A_tab_indentation_error_is_reported_at_its_line()
    {
        var yaml = DeploymentTestInput.Minimal.Replace("  region: us-west-2", "\tregion: us-west-2", StringComparison.Ordinal);
        var result = DeploymentTestInput.Parse(yaml);
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal(DeploymentDiagnosticCodes.YamlSyntax, d.Code);
        Assert.Equal(4, d.Location!.Line);
    }

    [Fact]
    public void A_tab_opening_the_line_after_a_plain_value_is_reported_at_the_tab_not_at_the_value_before()
    {
        // YamlDotNet finds this tab while scanning line 7's value and reports 7:13; the tab is at 8:1.
        var yaml = DeploymentTestInput.Minimal.Replace("  bearerToken:", "\tbearerToken:", StringComparison.Ordinal);
        var d = Assert.Single(DeploymentTestInput.Parse(yaml).Diagnostics);
        Assert.Equal(DeploymentDiagnosticCodes.YamlSyntax, d.Code);
        Assert.Equal((8, 1), (d.Location!.Line, d.Location.Column));
    }

    [Fact]
    public void Invalid_utf8_in_the_deployment_file_is_an_error_at_its_position_not_a_replacement_character()
    {
        using var dir = new TempDirectory("hostile");
        var bytes = Encoding.UTF8.GetBytes(DeploymentTestInput.Minimal.Replace("name: test", "name: te\u0001st", StringComparison.Ordinal));
        var index = Array.IndexOf(bytes, (byte)1);
        bytes[index] = 0xC3; // a lead byte followed by 's': not UTF-8
        var path = dir.Combine("basalt.yaml");
        File.WriteAllBytes(path, bytes);
        var result = DeploymentFileParser.Load(path, DeploymentTestInput.Environment.GetValueOrDefault);
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal(EncodingCode, d.Code);
        Assert.Equal(2, d.Location!.Line);
        Assert.Equal(9, d.Location.Column);
    }

    private static string WithBearerToken(string reference)
        => DeploymentTestInput.Minimal.Replace("${env:BEDROCK_API_KEY}", reference, StringComparison.Ordinal);

    [Fact]
    public void A_file_reference_to_a_device_is_refused_without_reading_it()
    {
        using var dir = new TempDirectory("hostile");
        var result = DeploymentTestInput.Parse("secrets:\n  allowFilesOutsideFolder: true\n" + WithBearerToken("${file:/dev/zero}"), baseDirectory: dir.Path);
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal(DeploymentDiagnosticCodes.SecretNotFound, d.Code);
        Assert.Contains("not a regular file", d.Message, StringComparison.Ordinal);
        Assert.Equal("auth.bearerToken", d.Key);
    }

    [Fact]
    public void A_file_reference_over_the_size_cap_is_refused()
    {
        using var dir = new TempDirectory("hostile");
        File.WriteAllBytes(dir.Combine("big.txt"), new byte[2 * 1024 * 1024]);
        var result = DeploymentTestInput.Parse(WithBearerToken("${file:big.txt}"), baseDirectory: dir.Path);
        Assert.Equal(LimitCode, Assert.Single(result.Diagnostics).Code);
    }

    [Theory]
    [InlineData("${file:/etc/hostname}")]
    [InlineData("${file:../outside.txt}")]
    [InlineData("${file:sub/../../outside.txt}")]
    [InlineData("${file:~/token.txt}")]
    public void Absolute_home_and_parent_file_references_need_the_opt_in(string reference)
    {
        using var dir = new TempDirectory("hostile");
        var result = DeploymentTestInput.Parse(WithBearerToken(reference), baseDirectory: dir.Path);
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal(OutsideFolderCode, d.Code);
        Assert.Contains("allowFilesOutsideFolder", d.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void A_link_inside_the_folder_that_leads_outside_needs_the_opt_in()
    {
        using var dir = new TempDirectory("hostile");
        using var other = new TempDirectory("hostile-outside");
        File.WriteAllText(other.Combine("token.txt"), "EXAMPLE-secret");
        File.CreateSymbolicLink(dir.Combine("token.txt"), other.Combine("token.txt"));
        var result = DeploymentTestInput.Parse(WithBearerToken("${file:token.txt}"), baseDirectory: dir.Path);
        Assert.Equal(OutsideFolderCode, Assert.Single(result.Diagnostics).Code);
    }

    [Fact]
    public void Relative_references_inside_the_folder_work_and_the_opt_in_allows_outside_paths()
    {
        using var dir = new TempDirectory("hostile");
        using var other = new TempDirectory("hostile-outside");
        Directory.CreateDirectory(dir.Combine("sub"));
        File.WriteAllText(dir.Combine("sub", "token.txt"), "EXAMPLE-inside\n");
        File.WriteAllText(other.Combine("token.txt"), "EXAMPLE-outside\n");
        var inside = DeploymentTestInput.Parse(WithBearerToken("${file:sub/token.txt}"), baseDirectory: dir.Path);
        Assert.True(inside.Success, string.Join("\n", inside.Diagnostics));
        Assert.Equal("EXAMPLE-inside", inside.File!.Groups[0].Auth.BearerToken!.Value);
        var outside = DeploymentTestInput.Parse("secrets:\n  allowFilesOutsideFolder: true\n" + WithBearerToken("${file:" + other.Combine("token.txt") + "}"), baseDirectory: dir.Path);
        Assert.True(outside.Success, string.Join("\n", outside.Diagnostics));
        Assert.Equal("EXAMPLE-outside", outside.File!.Groups[0].Auth.BearerToken!.Value);
    }

    private static IReadOnlyList<GeneratedArtifact> Generate(string example, TempDirectory secrets)
    {
        var result = new DeploymentGenerator(validation: new ValidationOptions { Now = new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero) })
            .Generate(DeploymentTestInput.Example(example, secrets));
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        return result.Artifacts;
    }

    [Fact]
    public async Task A_folder_with_someone_elses_manifest_json_is_never_replaced()
    {
        using var dir = new TempDirectory("hostile");
        var ext = dir.Combine("ext");
        Directory.CreateDirectory(Path.Combine(ext, "src"));
        File.WriteAllText(Path.Combine(ext, "manifest.json"), "{\"manifest_version\":3}");
        File.WriteAllText(Path.Combine(ext, "src", "app.js"), "code");
        var diagnostics = await DeploymentOutputWriter.WriteAsync(ext, Generate("basalt.yaml", dir));
        Assert.Equal(DeploymentDiagnosticCodes.OutputFolderNotOurs, Assert.Single(diagnostics).Code);
        Assert.Equal("code", File.ReadAllText(Path.Combine(ext, "src", "app.js")));
        Assert.Equal("{\"manifest_version\":3}", File.ReadAllText(Path.Combine(ext, "manifest.json")));
    }

    [Fact]
    public async Task Earlier_output_with_a_file_added_by_hand_is_not_replaced_and_the_file_survives()
    {
        using var dir = new TempDirectory("hostile");
        var output = dir.Combine("out");
        Assert.Empty(await DeploymentOutputWriter.WriteAsync(output, Generate("basalt.yaml", dir)));
        File.WriteAllText(Path.Combine(output, "engineering", "notes.txt"), "mine");
        var diagnostics = await DeploymentOutputWriter.WriteAsync(output, Generate("gateway.yaml", dir));
        var d = Assert.Single(diagnostics);
        Assert.Equal(DeploymentDiagnosticCodes.OutputFolderNotOurs, d.Code);
        Assert.Contains("engineering/notes.txt", d.Message, StringComparison.Ordinal);
        Assert.Equal("mine", File.ReadAllText(Path.Combine(output, "engineering", "notes.txt")));
    }

    [Fact]
    public async Task A_manifest_that_does_not_name_basalt_as_generator_is_not_proof_of_ownership()
    {
        using var dir = new TempDirectory("hostile");
        var output = dir.Combine("out");
        Directory.CreateDirectory(output);
        File.WriteAllText(Path.Combine(output, "manifest.json"), "{\"generator\":\"something else\",\"files\":[{\"path\":\"keep.txt\"}]}");
        File.WriteAllText(Path.Combine(output, "keep.txt"), "keep");
        Assert.Equal(DeploymentDiagnosticCodes.OutputFolderNotOurs, Assert.Single(await DeploymentOutputWriter.WriteAsync(output, Generate("basalt.yaml", dir))).Code);
        Assert.True(File.Exists(Path.Combine(output, "keep.txt")));
    }

    [Theory]
    [InlineData("\\a")]
    [InlineData("\\0")]
    [InlineData("\\e")]
    [InlineData("\\uFFFE")]
    public void A_control_character_in_the_organization_name_is_an_error_at_its_line_and_nothing_is_generated(string escape)
    {
        var yaml = DeploymentTestInput.Minimal + "\norganization:\n  name: \"Acme" + escape + "Corp\"\n";
        var parsed = DeploymentTestInput.Parse(yaml);
        var diagnostics = parsed.Diagnostics.ToList();
        if (parsed.Success)
        {
            var generated = new DeploymentGenerator().Generate(parsed.File!);
            Assert.False(generated.Success, "a profile with an unrepresentable character was generated");
            diagnostics.AddRange(generated.Diagnostics);
        }

        var d = Assert.Single(diagnostics, d => d.IsError);
        Assert.Equal("organization.name", d.Key);
        Assert.Equal(DeploymentTestInput.Minimal.Split('\n').Length + 2, d.Location!.Line);
    }

    [Fact]
    public void A_bearer_token_with_a_line_break_is_refused_without_showing_it()
    {
        const string Token = "EXAMPLE-token-first-line";
        var env = new Dictionary<string, string> { ["BEDROCK_API_KEY"] = Token + "\nsecond-line" };
        var result = DeploymentTestInput.Parse(DeploymentTestInput.Minimal, environment: env);
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal("auth.bearerToken", d.Key);
        Assert.DoesNotContain(Token, d.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_invalid_deployment_name_used_as_the_default_sso_session_is_an_error_at_the_sso_block_not_a_crash()
    {
        // Found by the hostile corpus (#3432 after examples/basalt-gateway.yaml was added): no 'sessionName:' and a
        // name the session pattern refuses made the reader dereference the missing key.
        var text = """
            version: 1
            name: bad>name
            aws: { region: us-west-2, accountId: "123456789012" }
            auth:
              approach: aws-sign-in
              sso: { startUrl: "https://d-1234567890.awsapps.com/start", region: us-east-1, roleName: Claude }
            models:
              sonnet: { id: anthropic.claude-sonnet-4-5-20250929-v1:0 }
            """;

        var result = DeploymentTestInput.Parse(text);

        Assert.False(result.Success);
        var session = Assert.Single(result.Diagnostics, d => d.Key == "auth.sso.sessionName");
        Assert.Equal(6, session.Location!.Line);
    }
}
