using System.Text.Encodings.Web;
using Basalt.Diagnostics.Reading;

namespace Basalt.Deployment;

/// <summary>
/// Converts a YAML list or mapping into the compact JSON text that a JSON-valued managed-configuration key
/// carries on the wire (<see cref="InputJson"/>): plain <c>true</c>/<c>false</c>/numbers/<c>null</c> become JSON
/// literals; quoted scalars stay strings. Secret references inside are resolved and mark the whole value secret.
/// </summary>
internal static class DeploymentJson
{
    /// <summary>JSON text for generated files: relaxed escaping (no HTML context), so URLs and '+' stay readable.</summary>
    public static readonly JavaScriptEncoder Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    public static FieldValue? FromNode(FieldReader context, InputNode node, string path) => InputJson.Write(context, node, path, Encoder);
}
