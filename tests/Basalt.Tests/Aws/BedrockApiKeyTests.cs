using System.Text;
using Basalt.Aws;
using Basalt.Testing;

namespace Basalt.Tests.Aws;

public sealed class BedrockApiKeyTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly AwsCredentials LongTerm = new("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
    private static readonly AwsCredentials Temporary = new("ASIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "IQoJb3JpZ2luX2VjE//session+token/==");

    private static SigV4SecretLookup Lookup(AwsCredentials c) => (id, _) => ValueTask.FromResult(id == c.AccessKeyId ? c.SecretAccessKey : null);

    public static TheoryData<string, int, string> Inputs() => new()
    {
        { "long-term", 43200, "us-west-2" },
        { "temporary", 43200, "us-east-1" },
        { "temporary", 900, "eu-central-1" },
        { "long-term", 1, "us-gov-west-1" },
    };

    [Theory]
    [MemberData(nameof(Inputs))]
    public async Task Minted_key_is_byte_identical_to_AWS_token_generator(string kind, int seconds, string region)
    {
        var credentials = kind == "temporary" ? Temporary : LongTerm;
        var run = await ExternalTools.RunNodeAsync(
            "tokens/mint-token.mjs",
            [credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken ?? "-", region, seconds.ToString(), Now.ToString("O")]);
        Assert.True(run.ExitCode == 0, run.ToString());
        var theirs = run.Stdout.Trim();

        var ours = BedrockApiKey.Mint(credentials, region, TimeSpan.FromSeconds(seconds), Now);

        Assert.StartsWith("bedrock-api-key-", theirs, StringComparison.Ordinal);
        Assert.Equal(Decode(theirs), Decode(ours));
        Assert.Equal(theirs, ours);

        Assert.True(BedrockApiKey.TryDecode(theirs, out var decodedTheirs));
        Assert.True(BedrockApiKey.TryDecode(ours, out var decodedOurs));
        Assert.Equal(decodedTheirs, decodedOurs);
        Assert.Equal((credentials.AccessKeyId, region, "bedrock", Now, TimeSpan.FromSeconds(seconds), credentials.SessionToken, 1, "host"),
            (decodedOurs.AccessKeyId, decodedOurs.Region, decodedOurs.Service, decodedOurs.SignedAt, decodedOurs.Lifetime, decodedOurs.SessionToken, decodedOurs.Version, decodedOurs.SignedHeaders));
        var verified = await BedrockApiKey.VerifyAsync(theirs, Lookup(credentials), Now.AddSeconds(seconds / 2.0));
        Assert.True(verified.IsValid, verified.ToString());
    }

    [Fact]
    public void Key_shape_is_a_presigned_url_for_bedrock_with_version_1()
    {
        var url = Decode(BedrockApiKey.Mint(Temporary, "us-west-2", TimeSpan.FromHours(12), Now));

        Assert.StartsWith("bedrock.amazonaws.com/?Action=CallWithBearerToken&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=ASIAIOSFODNN7EXAMPLE%2F20260301%2Fus-west-2%2Fbedrock%2Faws4_request&X-Amz-Date=20260301T120000Z&X-Amz-Expires=43200&X-Amz-Security-Token=IQoJb3JpZ2luX2VjE%2F%2Fsession%2Btoken%2F%3D%3D&X-Amz-Signature=", url, StringComparison.Ordinal);
        Assert.EndsWith("&X-Amz-SignedHeaders=host&Version=1", url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verification_checks_secret_expiry_and_tampering()
    {
        var token = BedrockApiKey.Mint(Temporary, "us-west-2", TimeSpan.FromHours(1), Now);

        Assert.True((await BedrockApiKey.VerifyAsync(token, Lookup(Temporary), Now.AddMinutes(59))).IsValid);
        Assert.Equal(SigV4FailureReason.Expired, (await BedrockApiKey.VerifyAsync(token, Lookup(Temporary), Now.AddMinutes(61))).Failure);
        Assert.Equal(SigV4FailureReason.InvalidSignature, (await BedrockApiKey.VerifyAsync(token, (_, _) => ValueTask.FromResult<string?>("other"), Now)).Failure);
        Assert.Equal(SigV4FailureReason.UnknownAccessKey, (await BedrockApiKey.VerifyAsync(token, (_, _) => ValueTask.FromResult<string?>(null), Now)).Failure);

        var url = Decode(token);
        var longer = url.Replace("X-Amz-Expires=3600", "X-Amz-Expires=43200", StringComparison.Ordinal);
        var forged = BedrockApiKey.Prefix + Convert.ToBase64String(Encoding.UTF8.GetBytes(longer));
        Assert.Equal(SigV4FailureReason.InvalidSignature, (await BedrockApiKey.VerifyAsync(forged, Lookup(Temporary), Now.AddHours(2))).Failure);
    }

    [Fact]
    public void Decoded_key_never_prints_its_session_token()
    {
        Assert.True(BedrockApiKey.TryDecode(BedrockApiKey.Mint(Temporary, "us-west-2", TimeSpan.FromHours(1), Now), out var decoded));
        Assert.Equal(Now.AddHours(1), decoded.ExpiresAt);
        Assert.DoesNotContain("session", decoded.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("X-Amz-Signature", decoded.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("ABSKQmVkcm9ja0FQSUtleS1hYmM=")]
    [InlineData("bedrock-api-key-!!!notbase64")]
    [InlineData("bedrock-api-key-aGVsbG8gd29ybGQ=")]
    [InlineData("bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29tLz9BY3Rpb249T3RoZXImVmVyc2lvbj0x")]
    public void Anything_but_a_short_term_key_does_not_decode(string token)
    {
        Assert.False(BedrockApiKey.TryDecode(token, out _));
    }

    [Fact]
    public void Lifetime_is_capped_at_twelve_hours()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => BedrockApiKey.Mint(LongTerm, "us-west-2", TimeSpan.FromHours(12).Add(TimeSpan.FromSeconds(1)), Now));
        Assert.Throws<ArgumentOutOfRangeException>(() => BedrockApiKey.Mint(LongTerm, "us-west-2", TimeSpan.Zero, Now));
    }

    private static string Decode(string token) => Encoding.UTF8.GetString(Convert.FromBase64String(token["bedrock-api-key-".Length..]));
}
