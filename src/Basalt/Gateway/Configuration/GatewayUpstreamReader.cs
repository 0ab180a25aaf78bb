using System.Security.Cryptography;
using System.Text;
using Basalt.Aws;
using Basalt.Deployment;
using Basalt.Deployment.Secrets;
using Basalt.Diagnostics.Reading;
using Basalt.Diagnostics;

namespace Basalt.Gateway.Configuration;

/// <summary>Reads <c>gateway.upstreams</c>: region, endpoints, the gateway's own AWS credentials and the per-user AssumeRole settings (issue 8 item 7).</summary>
internal static class GatewayUpstreamReader
{
    private static readonly string[] UpstreamKeys = ["region", "endpoint", "controlPlaneEndpoint", "credentials", "assumeRole"];
    private static readonly string[] CredentialKeys = ["source", "accessKeyId", "secretAccessKey", "sessionToken", "profile", "apiKey"];
    private static readonly string[] CredentialSources = [GatewayCredentials.StaticSource, GatewayCredentials.ProfileSource, GatewayCredentials.BedrockApiKeySource];
    private static readonly string[] AssumeRoleKeys = ["roleArn", "externalId", "durationSeconds", "stsEndpoint"];

    internal static Dictionary<string, GatewayUpstream> ReadUpstreams(FieldReader context, InputNode section, string prefix)
    {
        var result = new Dictionary<string, GatewayUpstream>(StringComparer.Ordinal);
        var node = context.Mapping(section, "upstreams", prefix, required: true, fix: "add 'upstreams:' with one entry per Bedrock region/account, e.g. 'us-east: { region: us-east-1, credentials: { source: profile, profile: gateway } }'");
        if (node is null)
        {
            return result;
        }

        var path = FieldReader.Join(prefix, "upstreams");
        foreach (var (_, name, value, upPath) in context.NamedMappings(node, path, "write 'region:' and 'credentials:' under the upstream's name"))
        {
            context.CheckKeys(value, upPath, UpstreamKeys);
            var region = context.String(value, "region", upPath, required: true, fix: "add 'region: us-east-1'");
            if (region is not null && AwsPartition.ForRegion(region.Value) is null)
            {
                context.Error(GatewayDiagnosticCodes.BadRegion, value.Get("region")!, FieldReader.Join(upPath, "region"), $"'{region.Value}' is not an AWS region", "use a region name such as us-east-1 or eu-central-1");
                region = null;
            }

            var endpoint = ReadUri(context, value, "endpoint", upPath);
            var control = ReadUri(context, value, "controlPlaneEndpoint", upPath);
            var credentials = ReadCredentials(context, value, upPath);
            var assume = ReadAssumeRole(context, value, upPath);
            if (region is not null && credentials is not null)
            {
                result[name] = new GatewayUpstream(name, region.Value, endpoint, control ?? endpoint, credentials, assume);
            }
        }

        return result;
    }

    private static Uri? ReadUri(FieldReader context, InputNode parent, string key, string path)
    {
        var value = context.String(parent, key, path);
        if (value is null)
        {
            return null;
        }

        if (Uri.TryCreate(value.Value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
        {
            return uri;
        }

        context.Error(GatewayDiagnosticCodes.BadEndpoint, parent.Get(key)!, FieldReader.Join(path, key), $"'{value.Value}' is not an http(s) URL", $"write '{key}: https://HOST[:PORT]'");
        return null;
    }

    private static GatewayCredentials? ReadCredentials(FieldReader context, InputNode upstream, string upPath)
    {
        var node = context.Mapping(upstream, "credentials", upPath, required: true, fix: "add 'credentials: { source: profile, profile: NAME }' (or source: static with accessKeyId/secretAccessKey references)");
        if (node is null)
        {
            return null;
        }

        var path = FieldReader.Join(upPath, "credentials");
        context.CheckKeys(node, path, CredentialKeys);
        var source = context.Choice(node, "source", path, CredentialSources, required: true);
        switch (source)
        {
            case GatewayCredentials.StaticSource:
                var id = context.String(node, "accessKeyId", path, required: true, fix: "add 'accessKeyId: ${env:AWS_ACCESS_KEY_ID}'");
                var secret = context.String(node, "secretAccessKey", path, required: true, fix: "add 'secretAccessKey: ${env:AWS_SECRET_ACCESS_KEY}'", secret: true);
                var token = context.String(node, "sessionToken", path, secret: true);
                return id is null || secret is null ? null : new GatewayCredentials(source, new AwsCredentials(id.Value, secret.Value, token?.Value));
            case GatewayCredentials.ProfileSource:
                var profile = context.String(node, "profile", path, required: true, fix: "add 'profile: NAME' (a profile of ~/.aws/config)");
                return profile is null ? null : new GatewayCredentials(source, Profile: profile.Value);
            case GatewayCredentials.BedrockApiKeySource:
                var apiKey = context.String(node, "apiKey", path, required: true, fix: "add 'apiKey: ${env:AWS_BEARER_TOKEN_BEDROCK}'", secret: true);
                return apiKey is null ? null : new GatewayCredentials(source, BedrockApiKey: apiKey.Value);
            default:
                return null;
        }
    }

    private static GatewayAssumeRole? ReadAssumeRole(FieldReader context, InputNode upstream, string upPath)
    {
        var node = context.Mapping(upstream, "assumeRole", upPath);
        if (node is null)
        {
            return null;
        }

        var path = FieldReader.Join(upPath, "assumeRole");
        context.CheckKeys(node, path, AssumeRoleKeys);
        var arn = context.String(node, "roleArn", path, required: true, fix: "add 'roleArn: arn:aws:iam::ACCOUNT:role/NAME'");
        if (arn is not null && !(arn.Value.StartsWith("arn:aws", StringComparison.Ordinal) && arn.Value.Contains(":role/", StringComparison.Ordinal)))
        {
            context.Error(GatewayDiagnosticCodes.BadRoleArn, node.Get("roleArn")!, FieldReader.Join(path, "roleArn"), $"'{arn.Value}' is not an IAM role ARN", "write 'arn:aws:iam::123456789012:role/BedrockUser'");
            arn = null;
        }

        var external = context.String(node, "externalId", path);
        var seconds = context.Int(node, "durationSeconds", path, 900, 43200) ?? 3600;
        var sts = ReadUri(context, node, "stsEndpoint", path);
        return arn is null ? null : new GatewayAssumeRole(arn.Value, external?.Value, TimeSpan.FromSeconds(seconds), sts);
    }
}
