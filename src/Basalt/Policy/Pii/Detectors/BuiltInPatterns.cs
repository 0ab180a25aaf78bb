using System.Text.RegularExpressions;

namespace Basalt.Policy.Pii.Detectors;

/// <summary>
/// The built-in patterns. Every quantifier is bounded or over a class that cannot overlap its neighbour, so matching
/// is linear in the prompt's length (a 10 kB prompt scans in microseconds: bench/results/policy.json).
/// </summary>
internal static partial class BuiltInPatterns
{
    private const RegexOptions Options = RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture;

    // RFC 5322 addr-spec restricted to what mail systems deliver: dot-atom local part, dotted host with a letter TLD.
    [GeneratedRegex(@"(?<![\w.%+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.){1,8}[A-Za-z]{2,24}(?![\w-]|\.[A-Za-z0-9])", Options)]
    public static partial Regex Email();

    // E.164 with optional separators, or NANP (xxx) xxx-xxxx / xxx-xxx-xxxx; a bare run of digits is not a phone.
    [GeneratedRegex(@"(?<![\w+])(?:\+[1-9]\d{0,2}(?:[ .-]?\(?\d{1,4}\)?){2,5}[ .-]?\d{2,4}|\(\d{3}\) ?\d{3}[ .-]\d{4}|\d{3}[.-]\d{3}[.-]\d{4})(?![\w-])", Options)]
    public static partial Regex Phone();

    // 13–19 digits, optionally in groups separated by one space or dash; Luhn and issuer prefix decide.
    [GeneratedRegex(@"(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d]|-\d)", Options)]
    public static partial Regex CardCandidate();

    // Country code and check digits; the body is consumed by code with the country's length (ISO 13616 registry).
    [GeneratedRegex(@"(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?= ?[A-Z0-9])", Options)]
    public static partial Regex IbanStart();

    // US SSN in its written form: area not 000/666/9xx, group not 00, serial not 0000 (SSA randomization rules).
    [GeneratedRegex(@"(?<![\d-])(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?![\d-])", Options)]
    public static partial Regex UsSsn();

    // UK National Insurance number (HMRC NIM39110): prefix letters and pairs HMRC never issues excluded, suffix A–D.
    [GeneratedRegex(@"(?<![A-Za-z0-9])(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D](?![A-Za-z0-9])", Options)]
    public static partial Regex UkNino();

    [GeneratedRegex(@"(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?!\.?\d)", Options)]
    public static partial Regex IPv4();

    // A candidate only; System.Net.IPAddress decides (RFC 4291 text forms, incl. :: compression).
    [GeneratedRegex(@"(?<![\w:.])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?![\w:])", Options)]
    public static partial Regex IPv6Candidate();

    // AWS access key ids: long-term (AKIA), temporary (ASIA), and the two service prefixes; base32 body of 16.
    [GeneratedRegex(@"(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}(?![A-Za-z0-9])", Options)]
    public static partial Regex AwsAccessKey();

    // A secret access key has no shape of its own (40 base64 characters), so only next to its name is it one.
    [GeneratedRegex(@"(?i:aws_?secret_?access_?key|secret_?access_?key|aws_?secret(?:_?key)?)[""']?\s{0,4}[:=]\s{0,4}[""']?(?<v>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])", Options)]
    public static partial Regex AwsSecretKey();

    [GeneratedRegex(@"(?<![A-Za-z0-9_-])sk-ant-(?:api|admin|oat|ort|sid)\d{2}-[A-Za-z0-9_-]{20,200}(?![A-Za-z0-9_-])", Options)]
    public static partial Regex AnthropicKey();

    // Classic (ghp_/gho_/ghu_/ghs_/ghr_ + 36) and fine-grained (github_pat_ 22 + _ + 59) GitHub tokens.
    [GeneratedRegex(@"(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59})(?![A-Za-z0-9_])", Options)]
    public static partial Regex GitHubToken();

    [GeneratedRegex(@"-----BEGIN (?:[A-Z0-9]{1,12} ){0,3}PRIVATE KEY-----", Options)]
    public static partial Regex PrivateKeyBegin();
}
