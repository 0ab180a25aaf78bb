using Basalt.Aws;

namespace Basalt.Tests.Aws.Signing;

/// <summary>
/// Every case of the official SigV4 test suite, for header and for query (presigned) signing: the canonical
/// request, string to sign and signature must match byte for byte, and the verifier must accept the suite's
/// own signed request.
/// </summary>
public sealed class SigV4SuiteTests
{
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var name in SigV4SuiteCase.Names)
        {
            data.Add(name, "header");
            data.Add(name, "query");
        }

        return data;
    }

    [Fact]
    public void The_suite_is_present_with_all_its_cases()
    {
        Assert.True(SigV4SuiteCase.Names.Count() >= 38, $"expected the 38 suite folders under {SigV4SuiteCase.Root}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Signer_reproduces_the_suite_byte_for_byte(string name, string mode)
    {
        var c = SigV4SuiteCase.Load(name);
        var signature = mode == "header"
            ? SigV4Signer.SignHeaders(c.Request, c.Credentials, c.Region, c.Service, c.Timestamp, c.Options)
            : SigV4Signer.SignQuery(c.Request, c.Credentials, c.Region, c.Service, c.Timestamp, c.Expires, c.Options);

        Assert.Equal(c.Expected(mode, "canonical-request"), signature.CanonicalRequest);
        Assert.Equal(c.Expected(mode, "string-to-sign"), signature.StringToSign);
        Assert.Equal(c.Expected(mode, "signature").Trim(), signature.Signature);

        if (mode == "header")
        {
            var expectedAuthorization = c.SignedRequest("header").GetHeader("Authorization");
            Assert.Equal(expectedAuthorization, signature.AuthorizationHeader);
        }
        else
        {
            var target = SigV4SuiteCase.RequestTarget("query", c);
            Assert.Equal(target, c.Request.RawPath + "?" + signature.SignedQuery);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Verifier_accepts_the_suites_signed_request(string name, string mode)
    {
        var c = SigV4SuiteCase.Load(name);
        var verifier = new SigV4Verifier(new SigV4VerifierOptions { NormalizePath = c.Options.NormalizePath });
        var result = await verifier.VerifyAsync(c.SignedRequest(mode), Lookup(c), c.Timestamp.AddSeconds(30));

        Assert.True(result.IsValid, result.ToString() + "\n" + result.CanonicalRequest);
        Assert.Equal(c.Credentials.AccessKeyId, result.AccessKeyId);
        Assert.Equal(c.Region, result.Region);
        Assert.Equal(c.Service, result.Service);
        Assert.Equal(c.Timestamp, result.SignedAt);
        Assert.Equal(c.Credentials.SessionToken, result.SessionToken);
        Assert.Equal(mode == "header" ? SigV4AuthLocation.Header : SigV4AuthLocation.Query, result.Location);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Verifier_rejects_the_suites_request_signed_with_another_secret(string name, string mode)
    {
        var c = SigV4SuiteCase.Load(name);
        var verifier = new SigV4Verifier(new SigV4VerifierOptions { NormalizePath = c.Options.NormalizePath });
        var result = await verifier.VerifyAsync(c.SignedRequest(mode), (_, _) => ValueTask.FromResult<string?>(c.Credentials.SecretAccessKey + "x"), c.Timestamp);

        Assert.Equal(SigV4FailureReason.InvalidSignature, result.Failure);
        Assert.NotNull(result.CanonicalRequest);
    }

    internal static SigV4SecretLookup Lookup(SigV4SuiteCase c)
        => (id, _) => ValueTask.FromResult(id == c.Credentials.AccessKeyId ? c.Credentials.SecretAccessKey : null);
}
