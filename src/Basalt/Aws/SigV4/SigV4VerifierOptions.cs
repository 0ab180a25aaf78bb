namespace Basalt.Aws;

/// <summary>Verification switches; the defaults fit every service but S3.</summary>
public sealed record SigV4VerifierOptions
{
    public static SigV4VerifierOptions Default { get; } = new();

    /// <summary>How far the signing time may be from the server's clock (AWS allows a few minutes).</summary>
    public TimeSpan MaxClockSkew { get; init; } = TimeSpan.FromMinutes(5);

    public bool NormalizePath { get; init; } = true;

    public bool DoubleUriEncode { get; init; } = true;
}
