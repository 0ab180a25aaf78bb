namespace Basalt.Policy.Pii;

/// <summary>
/// The one mapping between a category and its word in the configuration (camelCase, as the rest of the file): the
/// policy reader reads it, the policy description (gateway check, dashboard) writes it back.
/// </summary>
public static class PiiCategoryNames
{
    private static readonly Dictionary<string, PiiCategory> Words = new(StringComparer.Ordinal)
    {
        ["email"] = PiiCategory.Email,
        ["phone"] = PiiCategory.Phone,
        ["paymentCard"] = PiiCategory.PaymentCard,
        ["iban"] = PiiCategory.Iban,
        ["nationalId"] = PiiCategory.NationalId,
        ["ipAddress"] = PiiCategory.IpAddress,
        ["awsAccessKey"] = PiiCategory.AwsAccessKey,
        ["awsSecretKey"] = PiiCategory.AwsSecretKey,
        ["anthropicKey"] = PiiCategory.AnthropicKey,
        ["githubToken"] = PiiCategory.GitHubToken,
        ["privateKey"] = PiiCategory.PrivateKey,
    };

    /// <summary>Configuration word → category, for every category a detector finds (custom patterns are named).</summary>
    public static IReadOnlyDictionary<string, PiiCategory> ConfigurationWords => Words;

    public static string ConfigurationWord(PiiCategory category) =>
        Words.FirstOrDefault(w => w.Value == category).Key ?? category.ToString();
}
