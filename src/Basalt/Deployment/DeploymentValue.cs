using Basalt.Diagnostics;

namespace Basalt.Deployment;

/// <summary>
/// A string value from the deployment file after <c>${env:...}</c>/<c>${file:...}</c> resolution, with where
/// it was written. <see cref="ToString"/> never prints a secret.
/// </summary>
public sealed record DeploymentValue(string Value, SourceLocation Location, bool IsSecret = false)
{
    public const string Redacted = "<redacted>";

    public override string ToString() => IsSecret ? Redacted : Value;
}
