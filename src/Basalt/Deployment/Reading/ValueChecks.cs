using Basalt.Diagnostics;
using Basalt.Diagnostics.Reading;

namespace Basalt.Deployment.Reading;

/// <summary>
/// Value checks shared by several sections (https URLs, AWS profile names).
/// </summary>
internal static class ValueChecks
{
    public static void CheckHttps(FieldReader context, InputNode parent, string key, string path, FieldValue? value)
    {
        if (value is null)
        {
            return;
        }

        if (!Uri.TryCreate(value.Value, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps || uri.UserInfo.Length > 0)
        {
            context.Error(DeploymentDiagnosticCodes.InvalidValue, parent.Get(key)!, FieldReader.Join(path, key),
                value.IsSecret ? "expected an https:// URL without user:password@" : $"'{value.Value}' is not an https:// URL without user:password@",
                "write the full URL starting with https://");
        }
    }

    public static void CheckProfileName(FieldReader context, InputNode parent, string path, FieldValue? value)
    {
        if (value is not null && !DeploymentPatterns.ProfileName().IsMatch(value.Value))
        {
            context.Error(DeploymentDiagnosticCodes.InvalidValue, parent.Get(path[(path.LastIndexOf('.') + 1)..])!, path,
                $"'{value.Value}' is not a usable AWS profile name; expected letters, digits, '-', '_' or '.'", "use a name such as claude-cowork");
        }
    }
}
