using System.Text;
using System.Text.Json;

namespace Basalt.Deployment.Generation;

/// <summary>Indented JSON with LF line ends and a final newline, so the same input gives the same bytes on every OS.</summary>
internal static class GeneratedJson
{
    public static string Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, NewLine = "\n", Encoder = DeploymentJson.Encoder }))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }
}
