using System.Text.RegularExpressions;

namespace Basalt.Emulator.Configuration;

/// <summary>The shapes of IAM names, account ids, access key ids and principal ARNs the identities file is checked against.</summary>
internal static partial class EmulatorOptionsLoader
{
    [GeneratedRegex("^[0-9]{12}$", RegexOptions.CultureInvariant)]
    private static partial Regex AccountIdPattern();

    [GeneratedRegex(@"^[\w+=,.@-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex IamNamePattern();

    [GeneratedRegex(@"^[\w+=,.@-]{1,32}$", RegexOptions.CultureInvariant)]
    private static partial Regex PermissionSetNamePattern();

    [GeneratedRegex("^AKIA[A-Z0-9]{16}$", RegexOptions.CultureInvariant)]
    private static partial Regex LongTermKeyIdPattern();

    [GeneratedRegex(@"^arn:aws(-us-gov|-cn)?:(iam::[0-9]{12}:(root|user/.+|role/.+)|sts::[0-9]{12}:assumed-role/.+)$", RegexOptions.CultureInvariant)]
    private static partial Regex TrustedPrincipalPattern();
}
