using System.Text;
using System.Text.Json;
using Basalt.Aws;
using Basalt.Testing;

namespace Basalt.Tests.Aws.Signing;

/// <summary>One folder of the official SigV4 test suite (tests/testdata/aws-sigv4-test-suite/v4), parsed.</summary>
internal sealed class SigV4SuiteCase
{
    private SigV4SuiteCase(string name, string folder)
    {
        Name = name;
        Folder = folder;
        using var context = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "context.json")));
        var root = context.RootElement;
        var credentials = root.GetProperty("credentials");
        Credentials = new AwsCredentials(
            credentials.GetProperty("access_key_id").GetString()!,
            credentials.GetProperty("secret_access_key").GetString()!,
            credentials.TryGetProperty("token", out var token) ? token.GetString() : null);
        Region = root.GetProperty("region").GetString()!;
        Service = root.GetProperty("service").GetString()!;
        Timestamp = DateTimeOffset.Parse(root.GetProperty("timestamp").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Expires = TimeSpan.FromSeconds(root.GetProperty("expiration_in_seconds").GetInt32());
        Options = new SigV4SigningOptions
        {
            NormalizePath = root.GetProperty("normalize").GetBoolean(),
            AddContentSha256Header = root.GetProperty("sign_body").GetBoolean(),
            OmitSessionToken = root.TryGetProperty("omit_session_token", out var omit) && omit.GetBoolean(),
        };
        Request = ParseRequest(File.ReadAllBytes(Path.Combine(folder, "request.txt")));
    }

    public string Name { get; }

    public string Folder { get; }

    public AwsCredentials Credentials { get; }

    public string Region { get; }

    public string Service { get; }

    public DateTimeOffset Timestamp { get; }

    public TimeSpan Expires { get; }

    public SigV4SigningOptions Options { get; }

    public SigV4Request Request { get; }

    public static string Root => Path.Combine(RepoPaths.TestData, "aws-sigv4-test-suite", "v4");

    public static IEnumerable<string> Names => Directory.GetDirectories(Root).Select(Path.GetFileName).Order(StringComparer.Ordinal)!;

    public static SigV4SuiteCase Load(string name) => new(name, Path.Combine(Root, name));

    public string Expected(string mode, string file) => File.ReadAllText(Path.Combine(Folder, $"{mode}-{file}.txt"), Encoding.UTF8);

    public SigV4Request SignedRequest(string mode) => ParseRequest(File.ReadAllBytes(Path.Combine(Folder, $"{mode}-signed-request.txt")));

    /// <summary>
    /// Parses a raw HTTP/1.1 request as the suite writes it: the target may contain spaces and raw UTF-8,
    /// a header line starting with whitespace continues the previous value (obsolete line folding).
    /// </summary>
    public static SigV4Request ParseRequest(byte[] raw)
    {
        var text = Encoding.UTF8.GetString(raw);
        var headerEnd = text.IndexOf("\n\n", StringComparison.Ordinal);
        var head = headerEnd < 0 ? text.TrimEnd('\n') : text[..headerEnd];
        var body = headerEnd < 0 ? string.Empty : text[(headerEnd + 2)..];
        var lines = head.Split('\n');
        var requestLine = lines[0];
        var method = requestLine[..requestLine.IndexOf(' ')];
        var target = requestLine[(method.Length + 1)..requestLine.LastIndexOf(' ')];
        var headers = new List<KeyValuePair<string, string>>();
        foreach (var line in lines.Skip(1))
        {
            if (line.Length > 0 && (line[0] == ' ' || line[0] == '\t'))
            {
                var last = headers[^1];
                headers[^1] = new(last.Key, last.Value + "\n" + line);
                continue;
            }

            var colon = line.IndexOf(':');
            headers.Add(new(line[..colon], line[(colon + 1)..]));
        }

        var q = target.IndexOf('?');
        return new SigV4Request
        {
            Method = method,
            RawPath = q < 0 ? target : target[..q],
            RawQuery = q < 0 ? null : target[(q + 1)..],
            Headers = headers,
            Body = Encoding.UTF8.GetBytes(body),
        };
    }

    public static string RequestTarget(string mode, SigV4SuiteCase c)
    {
        var firstLine = File.ReadAllText(Path.Combine(c.Folder, $"{mode}-signed-request.txt"), Encoding.UTF8).Split('\n')[0];
        return firstLine[(firstLine.IndexOf(' ') + 1)..firstLine.LastIndexOf(' ')];
    }

    public override string ToString() => Name;
}
