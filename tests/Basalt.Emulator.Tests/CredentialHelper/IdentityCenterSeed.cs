using System.Text.Json.Nodes;
using Basalt.Credentials.IdentityCenter;
using Basalt.Emulator.Tests.IdentityCenter;

namespace Basalt.Emulator.Tests.CredentialHelper;

/// <summary>
/// A user who already signed in to IAM Identity Center: a real device sign-in at the emulator (approved as the user),
/// whose access token is put in the AWS CLI's SSO cache of the sandbox exactly where <c>aws sso login</c> puts it.
/// </summary>
internal static class IdentityCenterSeed
{
    public const string StartUrl = "https://d-9067example.awsapps.com/start";

    public static async Task<string> SignInAsync(EmulatorServer emulator, HelperSandbox sandbox, string user = "alice")
    {
        var accessToken = await PortalAwsCliTests.SignInAsync(emulator, user);
        new SsoTokenCache(sandbox.SsoCacheDirectory).WriteToken(
            SsoTokenCache.TokenKey(StartUrl, null),
            new SsoToken(StartUrl, "us-east-1", accessToken, DateTimeOffset.UtcNow.AddHours(8)));
        return accessToken;
    }

    /// <summary>Settings with one identity-center profile <c>sso</c> whose portal and OIDC endpoints are the emulator.</summary>
    public static string Settings(EmulatorServer emulator, string? headersJson = null)
    {
        var url = emulator.BaseAddress.AbsoluteUri;
        var profile = new JsonObject
        {
            ["source"] = "identity-center",
            ["region"] = "us-east-1",
            ["startUrl"] = StartUrl,
            ["ssoRegion"] = "us-east-1",
            ["accountId"] = "111122223333",
            ["roleName"] = "BedrockInference",
            ["endpoints"] = new JsonObject { ["sso"] = url, ["ssoOidc"] = url, ["sts"] = url },
        };
        if (headersJson is not null)
        {
            profile["output"] = new JsonObject { ["bedrockToken"] = true, ["headers"] = JsonNode.Parse(headersJson) };
        }

        return new JsonObject { ["version"] = 1, ["defaultProfile"] = "sso", ["profiles"] = new JsonObject { ["sso"] = profile } }.ToJsonString();
    }
}
