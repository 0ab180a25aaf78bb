using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Basalt.ManagedConfig;

/// <summary>
/// A Claude Desktop release number as the configuration changelog spells it (<c>1.19367.0</c>, <c>2.7032.0</c>,
/// optionally with a leading <c>v</c>), or <see cref="Baseline"/>: "present before the changelog started"
/// (cowork3p-reference §2, the Bedrock page dates it "Added in 1.2581.0"). Baseline sorts before every release.
/// </summary>
public readonly struct AppVersion : IComparable<AppVersion>, IEquatable<AppVersion>
{
    private AppVersion(int major, int minor, int patch, bool isBaseline)
    {
        Major = major;
        Minor = minor;
        Patch = patch;
        IsBaseline = isBaseline;
    }

    /// <summary>Present before the changelog started; older than any numbered release.</summary>
    public static AppVersion Baseline { get; } = new(0, 0, 0, isBaseline: true);

    public int Major { get; }

    public int Minor { get; }

    public int Patch { get; }

    public bool IsBaseline { get; }

    public static AppVersion Create(int major, int minor, int patch = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(major);
        ArgumentOutOfRangeException.ThrowIfNegative(minor);
        ArgumentOutOfRangeException.ThrowIfNegative(patch);
        return new AppVersion(major, minor, patch, isBaseline: false);
    }

    /// <summary>Parses <c>1.19367.0</c>, <c>v1.8089.0</c>, <c>1.17377</c> (patch 0) or <c>Baseline</c>.</summary>
    public static AppVersion Parse(string text)
        => TryParse(text, out var version) ? version : throw new FormatException($"'{text}' is not an app version; expected e.g. 1.19367.0 or Baseline");

    public static bool TryParse([NotNullWhen(true)] string? text, out AppVersion version)
    {
        version = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var t = text.Trim();
        if (string.Equals(t, "Baseline", StringComparison.OrdinalIgnoreCase))
        {
            version = Baseline;
            return true;
        }

        if (t.StartsWith('v') || t.StartsWith('V'))
        {
            t = t[1..];
        }

        var parts = t.Split('.');
        if (parts.Length is < 2 or > 3)
        {
            return false;
        }

        var numbers = new int[3];
        for (var i = 0; i < parts.Length; i++)
        {
            if (parts[i].Length == 0 || !parts[i].All(char.IsAsciiDigit)
                || !int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out numbers[i]))
            {
                return false;
            }
        }

        version = new AppVersion(numbers[0], numbers[1], numbers[2], isBaseline: false);
        return true;
    }

    public int CompareTo(AppVersion other)
    {
        if (IsBaseline || other.IsBaseline)
        {
            return IsBaseline.CompareTo(other.IsBaseline) * -1;
        }

        var c = Major.CompareTo(other.Major);
        if (c != 0)
        {
            return c;
        }

        c = Minor.CompareTo(other.Minor);
        return c != 0 ? c : Patch.CompareTo(other.Patch);
    }

    public bool Equals(AppVersion other) => CompareTo(other) == 0;

    public override bool Equals(object? obj) => obj is AppVersion other && Equals(other);

    public override int GetHashCode() => IsBaseline ? -1 : HashCode.Combine(Major, Minor, Patch);

    public override string ToString() => IsBaseline ? "Baseline" : string.Create(CultureInfo.InvariantCulture, $"{Major}.{Minor}.{Patch}");

    public static bool operator ==(AppVersion left, AppVersion right) => left.Equals(right);

    public static bool operator !=(AppVersion left, AppVersion right) => !left.Equals(right);

    public static bool operator <(AppVersion left, AppVersion right) => left.CompareTo(right) < 0;

    public static bool operator >(AppVersion left, AppVersion right) => left.CompareTo(right) > 0;

    public static bool operator <=(AppVersion left, AppVersion right) => left.CompareTo(right) <= 0;

    public static bool operator >=(AppVersion left, AppVersion right) => left.CompareTo(right) >= 0;
}
