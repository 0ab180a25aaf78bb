using System.Text;
using System.Text.Json;
using Basalt.Aws;
using Basalt.Testing;

namespace Basalt.Tests.Aws.Signing;

public sealed class SigV4VerifierTests
{
    private static readonly AwsCredentials Creds = new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "session/token+value=");
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly SigV4Verifier Verifier = new();

    private static SigV4SecretLookup Lookup => (id, _) => ValueTask.FromResult(id == Creds.AccessKeyId ? Creds.SecretAccessKey : null);

    private static SigV4Request Unsigned(string body = "{\"max_tokens\":1}") => new()
    {
        Method = "POST",
        RawPath = "/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke",
        Headers = [new("Host", "bedrock-runtime.us-west-2.amazonaws.com"), new("Content-Type", "application/json"), new("X-Amzn-Bedrock-Service-Tier", "priority")],
        Body = Encoding.UTF8.GetBytes(body),
    };

    private static SigV4Request WithHeaders(SigV4Request request, SigV4Signature signature, Func<KeyValuePair<string, string>, KeyValuePair<string, string>>? change = null) => new()
    {
        Method = request.Method,
        RawPath = request.RawPath,
        RawQuery = request.RawQuery,
        Headers = [.. request.Headers.Concat(signature.HeadersToAdd).Select(h => change is null ? h : change(h))],
        Body = request.Body,
    };

    [Fact]
    public async Task Header_signed_request_verifies_and_reports_identity_and_scope()
    {
        var request = Unsigned();
        var signed = WithHeaders(request, SigV4Signer.SignHeaders(request, Creds, "us-west-2", "bedrock", Now));

        var result = await Verifier.VerifyAsync(signed, Lookup, Now.AddMinutes(4));

        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(("AKIDEXAMPLE", "us-west-2", "bedrock", "session/token+value="), (result.AccessKeyId, result.Region, result.Service, result.SessionToken));
        Assert.Equal(Now, result.SignedAt);
        Assert.DoesNotContain("session/token", result.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_changed_byte_in_the_body_fails_the_signature()
    {
        var request = Unsigned();
        var signature = SigV4Signer.SignHeaders(request, Creds, "us-west-2", "bedrock", Now);
        var tampered = WithHeaders(Unsigned("{\"max_tokens\":2}"), signature);

        var result = await Verifier.VerifyAsync(tampered, Lookup, Now);

        Assert.Equal(SigV4FailureReason.InvalidSignature, result.Failure);
    }

    [Fact]
    public async Task A_changed_byte_in_a_signed_header_fails_the_signature()
    {
        var request = Unsigned();
        var signed = WithHeaders(request, SigV4Signer.SignHeaders(request, Creds, "us-west-2", "bedrock", Now), h => h.Key == "X-Amzn-Bedrock-Service-Tier" ? new(h.Key, "flex") : h);

        Assert.Equal(SigV4FailureReason.InvalidSignature, (await Verifier.VerifyAsync(signed, Lookup, Now)).Failure);
    }

    [Fact]
    public async Task A_changed_path_fails_the_signature()
    {
        var request = Unsigned();
        var signed = WithHeaders(request, SigV4Signer.SignHeaders(request, Creds, "us-west-2", "bedrock", Now));
        var moved = new SigV4Request { Method = signed.Method, RawPath = "/model/other/invoke", Headers = signed.Headers, Body = signed.Body };

        Assert.Equal(SigV4FailureReason.InvalidSignature, (await Verifier.VerifyAsync(moved, Lookup, Now)).Failure);
    }

    [Fact]
    public async Task A_wrong_secret_fails_the_signature()
    {
        var request = Unsigned();
        var signed = WithHeaders(request, SigV4Signer.SignHeaders(request, Creds with { SecretAccessKey = "not-the-secret" }, "us-west-2", "bedrock", Now));

        var result = await Verifier.VerifyAsync(signed, Lookup, Now);

        Assert.Equal(SigV4FailureReason.InvalidSignature, result.Failure);
        Assert.Contains("does not match", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_access_key_is_reported_as_such()
    {
        var request = Unsigned();
        var signed = WithHeaders(request, SigV4Signer.SignHeaders(request, Creds with { AccessKeyId = "AKIDUNKNOWN" }, "us-west-2", "bedrock", Now));

        var result = await Verifier.VerifyAsync(signed, Lookup, Now);

        Assert.Equal(SigV4FailureReason.UnknownAccessKey, result.Failure);
        Assert.Equal("AKIDUNKNOWN", result.AccessKeyId);
    }

    [Theory]
    [InlineData(-301, SigV4FailureReason.SkewTooLarge)]
    [InlineData(301, SigV4FailureReason.SkewTooLarge)]
    [InlineData(-299, SigV4FailureReason.None)]
    [InlineData(299, SigV4FailureReason.None)]
    public async Task Header_auth_allows_five_minutes_of_clock_skew(int signedSecondsFromNow, SigV4FailureReason expected)
    {
        var request = Unsigned();
        var signed = WithHeaders(request, SigV4Signer.SignHeaders(request, Creds, "us-west-2", "bedrock", Now.AddSeconds(signedSecondsFromNow)));

        Assert.Equal(expected, (await Verifier.VerifyAsync(signed, Lookup, Now)).Failure);
    }

    [Fact]
    public async Task Presigned_request_verifies_until_it_expires()
    {
        var uri = SigV4Signer.Presign(HttpMethod.Get, new Uri("https://bedrock.us-west-2.amazonaws.com/inference-profiles?type=SYSTEM_DEFINED"), Creds, "us-west-2", "bedrock", Now, TimeSpan.FromMinutes(15));
        var request = new SigV4Request { Method = "GET", RawPath = uri.AbsolutePath, RawQuery = uri.Query[1..], Headers = [new("Host", uri.Host)] };

        var fresh = await Verifier.VerifyAsync(request, Lookup, Now.AddMinutes(14));
        var expired = await Verifier.VerifyAsync(request, Lookup, Now.AddMinutes(15).AddSeconds(1));
        var early = await Verifier.VerifyAsync(request, Lookup, Now.AddMinutes(-6));

        Assert.True(fresh.IsValid, fresh.ToString());
        Assert.Equal(Now.AddMinutes(15), fresh.ExpiresAt);
        Assert.Equal("session/token+value=", fresh.SessionToken);
        Assert.Equal(SigV4FailureReason.Expired, expired.Failure);
        Assert.Equal(SigV4FailureReason.SkewTooLarge, early.Failure);
    }

    [Fact]
    public async Task A_presigned_query_with_a_changed_parameter_fails()
    {
        var uri = SigV4Signer.Presign(HttpMethod.Get, new Uri("https://bedrock.us-west-2.amazonaws.com/inference-profiles?type=SYSTEM_DEFINED"), Creds, "us-west-2", "bedrock", Now, TimeSpan.FromMinutes(15));
        var query = uri.Query[1..].Replace("type=SYSTEM_DEFINED", "type=APPLICATION", StringComparison.Ordinal);
        var request = new SigV4Request { Method = "GET", RawPath = uri.AbsolutePath, RawQuery = query, Headers = [new("Host", uri.Host)] };

        Assert.Equal(SigV4FailureReason.InvalidSignature, (await Verifier.VerifyAsync(request, Lookup, Now)).Failure);
    }

    [Fact]
    public async Task Unsigned_payload_and_content_sha256_are_honoured()
    {
        var request = Unsigned();
        var unsignedPayload = WithHeaders(request, SigV4Signer.SignHeaders(request, Creds, "us-west-2", "bedrock", Now, new SigV4SigningOptions { UnsignedPayload = true, AddContentSha256Header = true }));
        var hashed = WithHeaders(request, SigV4Signer.SignHeaders(request, Creds, "us-west-2", "bedrock", Now, new SigV4SigningOptions { AddContentSha256Header = true }));
        var lyingHash = new SigV4Request { Method = hashed.Method, RawPath = hashed.RawPath, Headers = hashed.Headers, Body = Encoding.UTF8.GetBytes("{}") };

        Assert.True((await Verifier.VerifyAsync(unsignedPayload, Lookup, Now)).IsValid);
        Assert.Equal(SigV4.UnsignedPayload, unsignedPayload.GetHeader("x-amz-content-sha256"));
        Assert.True((await Verifier.VerifyAsync(hashed, Lookup, Now)).IsValid);
        Assert.Equal(SigV4FailureReason.InvalidSignature, (await Verifier.VerifyAsync(lyingHash, Lookup, Now)).Failure);
    }

    [Theory]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260301/us-west-2/bedrock/aws4_request, Signature=abc", SigV4FailureReason.Malformed)]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/us-west-2/bedrock, SignedHeaders=host;x-amz-date, Signature=abc", SigV4FailureReason.Malformed)]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260302/us-west-2/bedrock/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc", SigV4FailureReason.Malformed)]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260301/us-west-2/bedrock/aws4_request, SignedHeaders=x-amz-date, Signature=abc", SigV4FailureReason.Malformed)]
    [InlineData("Bearer bedrock-api-key-xyz", SigV4FailureReason.Missing)]
    public async Task Malformed_or_missing_authorization_is_classified(string authorization, SigV4FailureReason expected)
    {
        var request = new SigV4Request { Method = "GET", Headers = [new("Host", "h"), new("X-Amz-Date", SigV4.FormatAmzDate(Now)), new("Authorization", authorization)] };

        var result = await Verifier.VerifyAsync(request, Lookup, Now);

        Assert.Equal(expected, result.Failure);
        Assert.NotEmpty(result.Message);
    }

    [Fact]
    public async Task SignAsync_signs_an_HttpRequestMessage_as_HttpClient_sends_it()
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, "http://127.0.0.1:5123/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke?x=a%2Fb")
        {
            Content = new StringContent("{\"a\":\"é\"}", Encoding.UTF8, "application/json"),
        };
        message.Headers.Add("X-Amzn-Bedrock-Service-Tier", "priority");
        message.Headers.Accept.ParseAdd("application/json");
        message.Headers.Accept.ParseAdd("text/plain");
        message.Headers.UserAgent.ParseAdd("basalt/1.0");

        await SigV4Signer.SignAsync(message, Creds, "us-west-2", "bedrock", Now, CancellationToken.None);
        await SigV4Signer.SignAsync(message, Creds, "us-west-2", "bedrock", Now, CancellationToken.None); // re-signing replaces, never duplicates

        var body = await message.Content.ReadAsByteArrayAsync();
        var wire = new SigV4Request
        {
            Method = "POST",
            RawPath = message.RequestUri!.AbsolutePath,
            RawQuery = message.RequestUri.Query[1..],
            Headers =
            [
                new("Host", "127.0.0.1:5123"),
                .. message.Headers.NonValidated.Select(h => new KeyValuePair<string, string>(h.Key, h.Value.ToString())),
                .. message.Content.Headers.NonValidated.Select(h => new KeyValuePair<string, string>(h.Key, h.Value.ToString())),
            ],
            Body = body,
        };

        Assert.Single(message.Headers.GetValues("Authorization"));
        Assert.Equal("/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke", wire.RawPath);
        var result = await Verifier.VerifyAsync(wire, Lookup, Now);
        Assert.True(result.IsValid, result.Message + "\n" + result.CanonicalRequest);
        Assert.Contains("content-length;content-type;host", message.Headers.GetValues("Authorization").Single(), StringComparison.Ordinal);
    }

    public static TheoryData<string> SdkPeers() => new() { "aws-sdk-js-v3", "botocore" };

    [Theory]
    [MemberData(nameof(SdkPeers))]
    public async Task Requests_signed_by_the_real_AWS_SDKs_verify(string peer)
    {
        var args = new[] { Creds.AccessKeyId, Creds.SecretAccessKey, Creds.SessionToken!, "us-west-2" };
        var run = peer == "botocore"
            ? await ProcessRunner.RunAsync(ExternalTools.Python(), [Path.Combine(RepoPaths.Interop, "bedrock", "capture_botocore_requests.py"), .. args])
            : await ExternalTools.RunNodeAsync("bedrock/capture-sdk-requests.mjs", args);
        Assert.True(run.ExitCode == 0, run.Stderr);
        var now = DateTimeOffset.UtcNow;
        var lines = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length >= 4, run.Stdout + run.Stderr);
        foreach (var line in lines)
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            var request = new SigV4Request
            {
                Method = root.GetProperty("method").GetString()!,
                RawPath = root.GetProperty("path").GetString()!,
                RawQuery = root.GetProperty("query").GetString(),
                Headers = [.. root.GetProperty("headers").EnumerateArray().Select(h => new KeyValuePair<string, string>(h[0].GetString()!, h[1].GetString()!))],
                Body = Convert.FromBase64String(root.GetProperty("bodyBase64").GetString()!),
            };

            var result = await Verifier.VerifyAsync(request, Lookup, now);
            Assert.True(result.IsValid, $"{peer} {root.GetProperty("operation")}: {result.Message}\n{result.CanonicalRequest}");
            Assert.Equal("bedrock", result.Service);

            var wrongSecret = await Verifier.VerifyAsync(request, (_, _) => ValueTask.FromResult<string?>("wrong"), now);
            Assert.Equal(SigV4FailureReason.InvalidSignature, wrongSecret.Failure);
        }
    }
}
