using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Basalt.Aws;

namespace Basalt.Credentials.Output;

/// <summary>
/// The formats the helper prints on stdout, all written with <see cref="Utf8JsonWriter"/> (no reflection, so the
/// NativeAOT helper can use them):
/// <list type="bullet">
/// <item><see cref="CredentialProcess"/>: AWS <c>credential_process</c> Version 1 JSON (bedrock-and-clients §4);</item>
/// <item><see cref="AwsCredentialExport"/>: Claude Code <c>awsCredentialExport</c>
/// (<c>{"Credentials":{AccessKeyId,SecretAccessKey,SessionToken}}</c>);</item>
/// <item><see cref="DesktopHelper"/>: Claude Desktop <c>inferenceCredentialHelper</c>, a bare token or
/// <c>{"token","headers"}</c> (cowork3p-reference §4);</item>
/// <item><see cref="ShellExport"/>: environment variables for a POSIX shell or PowerShell.</item>
/// </list>
/// </summary>
public static class CredentialOutput
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = false,

        // Tokens are base64/URL-safe text; no reason to escape '+', '&' or '<' as \u002B etc. for a JSON consumer.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>ISO-8601 UTC with a Z, the form every AWS SDK parses.</summary>
    public static string FormatExpiration(DateTimeOffset value)
        => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string CredentialProcess(AwsCredentials credentials)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        return Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteNumber("Version", 1);
            writer.WriteString("AccessKeyId", credentials.AccessKeyId);
            writer.WriteString("SecretAccessKey", credentials.SecretAccessKey);
            if (credentials.SessionToken is { } token)
            {
                writer.WriteString("SessionToken", token);
            }

            if (credentials.Expiration is { } expiration)
            {
                writer.WriteString("Expiration", FormatExpiration(expiration));
            }

            writer.WriteEndObject();
        });
    }

    public static string AwsCredentialExport(AwsCredentials credentials)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        return Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartObject("Credentials");
            writer.WriteString("AccessKeyId", credentials.AccessKeyId);
            writer.WriteString("SecretAccessKey", credentials.SecretAccessKey);
            if (credentials.SessionToken is { } token)
            {
                writer.WriteString("SessionToken", token);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        });
    }

    /// <summary>
    /// The bare token when there are no headers (cowork3p-reference §4: "print JSON only when extra headers are
    /// needed"), else <c>{"token":"...","headers":{...}}</c>.
    /// </summary>
    public static string DesktopHelper(string token, IReadOnlyDictionary<string, string>? headers = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(token);
        if (headers is null || headers.Count == 0)
        {
            return token;
        }

        return Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("token", token);
            writer.WriteStartObject("headers");
            foreach (var (name, value) in headers.OrderBy(h => h.Key, StringComparer.Ordinal))
            {
                writer.WriteString(name, value);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        });
    }

    /// <summary>
    /// Environment variables for the AWS SDKs and Claude Code: the key pair and session token (or an explicit unset of
    /// a stale token), <c>AWS_REGION</c> when known, and <c>AWS_BEARER_TOKEN_BEDROCK</c> when a Bedrock token is given.
    /// Values are single-quoted, so nothing in them is expanded by the shell.
    /// </summary>
    public static string ShellExport(AwsCredentials? credentials, ShellKind shell, string? region = null, string? bedrockToken = null)
    {
        var builder = new StringBuilder();
        if (credentials is not null)
        {
            Set(builder, shell, "AWS_ACCESS_KEY_ID", credentials.AccessKeyId);
            Set(builder, shell, "AWS_SECRET_ACCESS_KEY", credentials.SecretAccessKey);
            if (credentials.SessionToken is { } token)
            {
                Set(builder, shell, "AWS_SESSION_TOKEN", token);
            }
            else
            {
                Unset(builder, shell, "AWS_SESSION_TOKEN");
            }

            if (credentials.Expiration is { } expiration)
            {
                Set(builder, shell, "AWS_CREDENTIAL_EXPIRATION", FormatExpiration(expiration));
            }
        }

        if (region is not null)
        {
            Set(builder, shell, "AWS_REGION", region);
        }

        if (bedrockToken is not null)
        {
            Set(builder, shell, "AWS_BEARER_TOKEN_BEDROCK", bedrockToken);
        }

        return builder.ToString();
    }

    /// <summary>POSIX single quoting: everything literal; a quote becomes <c>'\''</c>.</summary>
    public static string QuotePosix(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }

    /// <summary>PowerShell verbatim string: a quote (including the typographic ones PowerShell also accepts) is doubled.</summary>
    public static string QuotePowerShell(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var builder = new StringBuilder(value.Length + 2).Append('\'');
        foreach (var c in value)
        {
            if (c is '\'' or '\u2018' or '\u2019' or '\u201A' or '\u201B')
            {
                builder.Append(c);
            }

            builder.Append(c);
        }

        return builder.Append('\'').ToString();
    }

    private static void Set(StringBuilder builder, ShellKind shell, string name, string value)
    {
        if (shell == ShellKind.PowerShell)
        {
            builder.Append("$Env:").Append(name).Append(" = ").Append(QuotePowerShell(value)).Append('\n');
        }
        else
        {
            builder.Append("export ").Append(name).Append('=').Append(QuotePosix(value)).Append('\n');
        }
    }

    private static void Unset(StringBuilder builder, ShellKind shell, string name)
    {
        if (shell == ShellKind.PowerShell)
        {
            builder.Append("Remove-Item Env:").Append(name).Append(" -ErrorAction SilentlyContinue\n");
        }
        else
        {
            builder.Append("unset ").Append(name).Append('\n');
        }
    }

    private static string Write(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
