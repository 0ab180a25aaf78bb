using System.Text.Json;
using System.Text.Json.Nodes;
using Basalt.Testing;

namespace Basalt.Emulator.Tests.TestSupport;

/// <summary>Runs a node script from tests/interop with a JSON request on stdin and parses its one-line JSON answer.</summary>
public static class NodePeer
{
    public static async Task<JsonObject> RunAsync(string script, object request)
    {
        var result = await ExternalTools.RunNodeAsync(script, [], stdin: JsonSerializer.Serialize(request), timeout: TimeSpan.FromMinutes(1));
        Assert.True(result.ExitCode == 0, $"{script} failed: exit {result.ExitCode}\n{result.Stderr}");
        var line = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
        Assert.False(line is null, $"{script} printed nothing; stderr: {result.Stderr}");
        return JsonNode.Parse(line)!.AsObject();
    }
}
