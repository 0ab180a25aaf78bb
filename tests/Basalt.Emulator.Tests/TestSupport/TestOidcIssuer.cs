using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Basalt.Emulator.Tests.TestSupport;

/// <summary>
/// A real OIDC issuer on loopback for web identity tests: serves <c>/.well-known/openid-configuration</c> and a
/// JWKS with one RSA (RS256) and one P-256 (ES256) key, and mints ID tokens signed with them.
/// </summary>
public sealed class TestOidcIssuer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestOidcIssuer(WebApplication app, string issuer)
    {
        _app = app;
        Issuer = issuer;
    }

    public string Issuer { get; }

    public RSA Rsa { get; } = RSA.Create(2048);

    public ECDsa Ec { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    /// <summary>Number of JWKS downloads (proves the emulator fetched keys over HTTP).</summary>
    public int JwksRequests { get; private set; }

    public static async Task<TestOidcIssuer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        TestOidcIssuer? self = null;
        app.MapGet("/.well-known/openid-configuration", (HttpContext c) => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = self!.Issuer,
            ["jwks_uri"] = self.Issuer + "/keys",
            ["id_token_signing_alg_values_supported"] = new[] { "RS256", "ES256" },
        }));
        app.MapGet("/keys", () =>
        {
            self!.JwksRequests++;
            return Results.Text(self.JwksJson(), "application/json");
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        self = new TestOidcIssuer(app, address);
        return self;
    }

    public string JwksJson()
    {
        var rsa = Rsa.ExportParameters(false);
        var ec = Ec.ExportParameters(false);
        return JsonSerializer.Serialize(new
        {
            keys = new object[]
            {
                new { kty = "RSA", kid = "rsa-1", use = "sig", alg = "RS256", n = B64(rsa.Modulus!), e = B64(rsa.Exponent!) },
                new { kty = "EC", kid = "ec-1", use = "sig", alg = "ES256", crv = "P-256", x = B64(ec.Q.X!), y = B64(ec.Q.Y!) },
            },
        });
    }

    /// <summary>
    /// A signed ID token. <paramref name="alg"/> is RS256 or ES256; <paramref name="signWith"/> substitutes another
    /// key (to forge a signature).
    /// </summary>
    public string Mint(IDictionary<string, object> claims, string alg = "RS256", AsymmetricAlgorithm? signWith = null)
    {
        var header = JsonSerializer.SerializeToUtf8Bytes(new { alg, typ = "JWT", kid = alg == "RS256" ? "rsa-1" : "ec-1" });
        var payload = JsonSerializer.SerializeToUtf8Bytes(claims);
        var input = B64(header) + "." + B64(payload);
        var data = Encoding.ASCII.GetBytes(input);
        var signature = alg == "RS256"
            ? ((RSA)(signWith ?? Rsa)).SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : ((ECDsa)(signWith ?? Ec)).SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return input + "." + B64(signature);
    }

    /// <summary>Standard claims for <paramref name="audience"/>, valid for an hour from <paramref name="now"/>.</summary>
    public Dictionary<string, object> Claims(string audience, DateTimeOffset now, string subject = "user-123", string? issuer = null) => new()
    {
        ["iss"] = issuer ?? Issuer,
        ["sub"] = subject,
        ["aud"] = audience,
        ["iat"] = now.ToUnixTimeSeconds(),
        ["exp"] = now.AddHours(1).ToUnixTimeSeconds(),
    };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Rsa.Dispose();
        Ec.Dispose();
    }

    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
