namespace Basalt.Aws;

/// <summary>Where a request carried its SigV4 authentication.</summary>
public enum SigV4AuthLocation
{
    None = 0,
    Header,
    Query,
}
