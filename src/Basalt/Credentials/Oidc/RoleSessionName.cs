using System.Text;

namespace Basalt.Credentials.Oidc;

/// <summary>
/// The STS <c>RoleSessionName</c> for a signed-in user. It appears in CloudTrail and in the assumed-role ARN, so
/// it is the user's email when there is one (what admins search for), else the IdP's <c>sub</c>. STS allows
/// 2-64 characters of <c>[\w+=,.@-]</c> (ASCII word characters); anything else becomes <c>-</c>.
/// </summary>
internal static class RoleSessionName
{
    public const int MaxLength = 64;

    public static string From(string? email, string subject)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        var fromEmail = string.IsNullOrWhiteSpace(email) ? null : Sanitize(email);
        if (fromEmail is { Length: >= 2 } && fromEmail.Any(char.IsAsciiLetterOrDigit))
        {
            return fromEmail;
        }

        var fromSubject = Sanitize(subject);
        return fromSubject.Length >= 2 ? fromSubject : ("oidc-" + fromSubject)[..Math.Min(MaxLength, 5 + fromSubject.Length)];
    }

    internal static string Sanitize(string value)
    {
        var builder = new StringBuilder(Math.Min(value.Length, MaxLength));
        foreach (var c in value.Trim())
        {
            if (builder.Length == MaxLength)
            {
                break;
            }

            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '_' or '+' or '=' or ',' or '.' or '@' or '-' ? c : '-');
        }

        return builder.ToString();
    }
}
