namespace Basalt.Policy.Pii;

/// <summary>What a detector finds (issue 12 item 2). Names are the words used in configuration and in refusals.</summary>
public enum PiiCategory
{
    Email,
    Phone,
    PaymentCard,
    Iban,
    NationalId,
    IpAddress,
    AwsAccessKey,
    AwsSecretKey,
    AnthropicKey,
    GitHubToken,
    PrivateKey,
    Custom,
}
