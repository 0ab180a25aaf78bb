using Basalt.Diagnostics.Reading;
namespace Basalt.Deployment;

/// <summary>
/// A named AWS profile (<c>inferenceBedrockProfile</c>). When <see cref="Sso"/> is set Basalt writes the
/// profile and its sso-session to <c>aws/config</c> so IT can push it (seed 000, "Named profile"); otherwise the
/// profile is assumed to exist on the devices already.
/// </summary>
public sealed record ProfileSettings(FieldValue Name, FieldValue? AwsDir, FieldValue? AwsCliPath, SsoSettings? Sso);
