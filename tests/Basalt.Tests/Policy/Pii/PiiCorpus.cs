using System.Globalization;
using System.Text;
using Basalt.Policy.Pii;

namespace Basalt.Tests.Policy.Pii;

/// <summary>
/// Generates, per category, values that are real (valid check digits, issued prefixes, registered lengths) and near
/// misses that look alike but are not (one digit off, an unissued prefix, one character short, a public key instead of
/// a private one), each inside ordinary prose. Deterministic (seeded) so a failure reproduces.
/// </summary>
internal sealed class PiiCorpus(int seed)
{
    private const string Upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private const string Alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private const string Base32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private readonly Random _random = new(seed);

    private static readonly string[] Before = ["Please contact ", "The value is ", "see: ", "(", "Ref ", "- ", "\"", "card on file ", "", "ticket says "];
    private static readonly string[] After = [" today.", ")", ", thanks", "\"", " and more text", ".", "", " — urgent", "\n", "; next"];

    public sealed record Sample(string Text, int Start, int Length, bool Positive);

    public IEnumerable<Sample> Samples(PiiCategory category, string? rule, int count)
    {
        for (var i = 0; i < count; i++)
        {
            yield return Embed(Positive(category, rule), true);
            yield return Embed(Negative(category, rule), false);
        }
    }

    private Sample Embed((string Value, int Offset, int Length) v, bool positive)
    {
        var before = Pick(Before);
        var text = before + v.Value + Pick(After);
        return new Sample(text, before.Length + v.Offset, v.Length, positive);
    }

    private (string, int, int) Whole(string value) => (value, 0, value.Length);

    private (string, int, int) Positive(PiiCategory category, string? rule) => category switch
    {
        PiiCategory.Email => Whole(Email()),
        PiiCategory.PaymentCard => Whole(Card(valid: true)),
        PiiCategory.Iban => Whole(Iban(valid: true)),
        PiiCategory.AwsAccessKey => Whole(Pick(["AKIA", "ASIA"]) + Chars(Base32, 16)),
        PiiCategory.AwsSecretKey => SecretKeyLine(40),
        PiiCategory.AnthropicKey => Whole("sk-ant-" + Pick(["api03", "admin01", "oat01"]) + "-" + Chars(Alnum + "_-", 95)),
        PiiCategory.GitHubToken => Whole(_random.Next(2) == 0 ? "gh" + Pick(["p", "o", "u", "s", "r"]) + "_" + Chars(Alnum, 36) : "github_pat_" + Chars(Alnum, 22) + "_" + Chars(Alnum, 59)),
        PiiCategory.PrivateKey => Whole(Pem(Pick(["RSA PRIVATE KEY", "PRIVATE KEY", "EC PRIVATE KEY", "OPENSSH PRIVATE KEY", "ENCRYPTED PRIVATE KEY"]))),
        PiiCategory.Phone => Whole(Phone()),
        PiiCategory.IpAddress => Whole(_random.Next(2) == 0 ? IPv4(valid: true) : IPv6()),
        PiiCategory.NationalId => Whole(rule == "NationalId:GB" ? Nino(valid: true) : Ssn(valid: true)),
        _ => throw new ArgumentOutOfRangeException(nameof(category)),
    };

    private (string, int, int) Negative(PiiCategory category, string? rule) => category switch
    {
        PiiCategory.Email => Whole(Pick([
            Word() + " at " + Word() + " dot com", Word() + "@localhost", "@" + Word() + ".com", Word() + "@" + Word(),
            Word() + "@@" + Word() + ".com", Word() + "@" + Word() + ".c", Word() + "@-" + Word() + ".com", Word() + "@" + Word() + "..com"])),
        PiiCategory.PaymentCard => Whole(Pick([Card(valid: false), Unissued(), Digits(_random.Next(6, 12)), Digits(20) + Digits(3)])),
        PiiCategory.Iban => Whole(Pick([Iban(valid: false), Iban(valid: true, extraDigit: true), "XX" + Digits(2) + Digits(16)])),
        PiiCategory.AwsAccessKey => Whole(Pick(["AKIA" + Chars(Base32, 15), "AKIB" + Chars(Base32, 16), "AKIA" + Chars(Base32, 15) + "0", "akia" + Chars(Base32, 16).ToLowerInvariant(), "AKIA" + Chars(Base32, 17)])),
        PiiCategory.AwsSecretKey => Whole(Pick([Chars(Alnum + "/+", 40), "aws_secret_access_key = " + Chars(Alnum + "/+", 39), "secret = " + Chars(Alnum, 40)])),
        PiiCategory.AnthropicKey => Whole(Pick(["sk-ant-api03-" + Chars(Alnum, 10), "sk-ant-xyz03-" + Chars(Alnum, 95), "sk-proj-" + Chars(Alnum, 95), "sk-ant-" + Chars(Alnum, 95)])),
        PiiCategory.GitHubToken => Whole(Pick(["ghp_" + Chars(Alnum, 35), "ghx_" + Chars(Alnum, 36), "ghp_" + Chars(Alnum, 37), "github_pat_" + Chars(Alnum, 22) + "_" + Chars(Alnum, 40)])),
        PiiCategory.PrivateKey => Whole(Pem(Pick(["PUBLIC KEY", "CERTIFICATE", "RSA PUBLIC KEY", "CERTIFICATE REQUEST"]))),
        PiiCategory.Phone => Whole(Pick([Date(), Version(3), Digits(3) + " " + Digits(3), "+" + Digits(2), "v" + Digits(1) + "." + Digits(2), Digits(5)])),
        PiiCategory.IpAddress => Whole(Pick([IPv4(valid: false), Version(3), Version(5), $"{_random.Next(24):00}:{_random.Next(60):00}:{_random.Next(60):00}", Version(4) + ".1"])),
        PiiCategory.NationalId => Whole(rule == "NationalId:GB" ? Nino(valid: false) : Ssn(valid: false)),
        _ => throw new ArgumentOutOfRangeException(nameof(category)),
    };

    private T Pick<T>(T[] items) => items[_random.Next(items.Length)];

    private string Chars(string alphabet, int n)
    {
        var c = new char[n];
        for (var i = 0; i < n; i++)
        {
            c[i] = alphabet[_random.Next(alphabet.Length)];
        }

        return new string(c);
    }

    private string Digits(int n) => Chars("0123456789", n);

    private string Word() => Chars("abcdefghijklmnopqrstuvwxyz", _random.Next(3, 10));

    private string Email()
    {
        var local = Word() + Pick(["", ".", "_", "+", "-"]) + Pick(["", Word(), Digits(2)]);
        var host = string.Join('.', Enumerable.Range(0, _random.Next(1, 3)).Select(_ => Word()));
        return local + "@" + host + "." + Pick(["com", "org", "de", "co.uk", "io", "museum", "technology"]);
    }

    private string Card(bool valid)
    {
        var (prefix, length) = Pick(new (string, int)[] { ("4", 16), ("4", 13), ("51", 16), ("55", 16), ("2221", 16), ("2720", 16), ("34", 15), ("37", 15), ("6011", 16), ("65", 16), ("3530", 16), ("36", 14), ("62", 16) });
        var body = prefix + Digits(length - prefix.Length - 1);
        var check = LuhnDigit(body);
        var number = body + (valid ? check : (check + 1 + _random.Next(9)) % 10);
        return Group(number, length == 15 ? [4, 6, 5] : length == 14 ? [4, 6, 4] : [4, 4, 4, 4, 4]);
    }

    private string Unissued()
    {
        var body = Pick(["1", "7", "8", "9"]) + Digits(14);
        return Group(body + LuhnDigit(body), [4, 4, 4, 4]);
    }

    private string Group(string number, int[] groups)
    {
        var separator = Pick(["", " ", "-"]);
        if (separator.Length == 0)
        {
            return number;
        }

        var parts = new List<string>();
        var i = 0;
        foreach (var g in groups)
        {
            if (i >= number.Length)
            {
                break;
            }

            parts.Add(number.Substring(i, Math.Min(g, number.Length - i)));
            i += g;
        }

        return string.Join(separator, parts);
    }

    private static int LuhnDigit(string body)
    {
        var sum = 0;
        var doubleIt = true;
        for (var i = body.Length - 1; i >= 0; i--)
        {
            var d = body[i] - '0';
            if (doubleIt)
            {
                d = d * 2 > 9 ? (d * 2) - 9 : d * 2;
            }

            sum += d;
            doubleIt = !doubleIt;
        }

        return (10 - (sum % 10)) % 10;
    }

    private static readonly (string Country, int Length)[] IbanCountries = [("DE", 22), ("GB", 22), ("FR", 27), ("NL", 18), ("ES", 24), ("IT", 27), ("CH", 21), ("BE", 16), ("NO", 15), ("PL", 28), ("MT", 31), ("SE", 24)];

    private string Iban(bool valid, bool extraDigit = false)
    {
        var (country, length) = Pick(IbanCountries);
        var bban = country is "GB" or "NL" or "MT" ? Chars(Upper, 4) + Digits(length - 8) : Digits(length - 4);
        var check = 98 - Mod97(bban + country + "00");
        var iban = country + check.ToString("00", CultureInfo.InvariantCulture) + bban;
        if (!valid)
        {
            // One digit changed: mod-97 detects every single-character substitution (ISO 7064).
            var i = 4 + _random.Next(length - 4);
            while (!char.IsAsciiDigit(iban[i]))
            {
                i = 4 + _random.Next(length - 4);
            }

            iban = iban[..i] + (char)('0' + ((iban[i] - '0' + 1 + _random.Next(9)) % 10)) + iban[(i + 1)..];
        }

        if (extraDigit)
        {
            iban += Digits(1);
        }

        return _random.Next(2) == 0 ? iban : string.Join(' ', iban.Chunk(4).Select(c => new string(c)));
    }

    private static int Mod97(string s)
    {
        var r = 0;
        foreach (var c in s)
        {
            r = char.IsAsciiDigit(c) ? ((r * 10) + (c - '0')) % 97 : ((r * 100) + (c - 'A' + 10)) % 97;
        }

        return r;
    }

    private (string, int, int) SecretKeyLine(int length)
    {
        var name = Pick(["aws_secret_access_key", "AWS_SECRET_ACCESS_KEY", "SecretAccessKey", "aws_secret"]);
        var sep = Pick([" = ", "=", ": ", "\": \"", "='"]);
        var value = Chars(Alnum + "/+", length);
        var prefix = name + sep;
        return (prefix + value, prefix.Length, value.Length);
    }

    private string Pem(string label)
    {
        var body = new StringBuilder();
        for (var i = 0; i < _random.Next(3, 20); i++)
        {
            body.Append(Chars(Alnum + "+/", 64)).Append('\n');
        }

        return $"-----BEGIN {label}-----\n{body}-----END {label}-----";
    }

    private string Phone() => Pick([
        $"+1 {Digits(3)} {Digits(3)} {Digits(4)}", $"+44 20 {Digits(4)} {Digits(4)}", $"+49 30 {Digits(8)}", $"+33 1 {Digits(2)} {Digits(2)} {Digits(2)} {Digits(2)}",
        $"({Digits(3)}) {Digits(3)}-{Digits(4)}", $"{Digits(3)}-{Digits(3)}-{Digits(4)}", $"+1-{Digits(3)}-{Digits(3)}-{Digits(4)}", $"+61 4{Digits(2)} {Digits(3)} {Digits(3)}"]);

    private string Date() => $"{2000 + _random.Next(30)}-{_random.Next(1, 13):00}-{_random.Next(1, 29):00}";

    private string Version(int parts) => string.Join('.', Enumerable.Range(0, parts).Select(_ => _random.Next(0, 30).ToString(CultureInfo.InvariantCulture)));

    private string IPv4(bool valid)
    {
        var wrong = valid ? -1 : _random.Next(4);
        return string.Join('.', Enumerable.Range(0, 4).Select(i => (i == wrong ? 256 + _random.Next(700) : _random.Next(256)).ToString(CultureInfo.InvariantCulture)));
    }

    private string IPv6()
    {
        var groups = Enumerable.Range(0, 8).Select(_ => _random.Next(65536).ToString("x", CultureInfo.InvariantCulture)).ToArray();
        return _random.Next(2) == 0 ? string.Join(':', groups) : string.Join(':', groups[..3]) + "::" + string.Join(':', groups[6..]);
    }

    private string Ssn(bool valid)
    {
        if (valid)
        {
            var area = _random.Next(1, 900);
            while (area == 666)
            {
                area = _random.Next(1, 900);
            }

            return $"{area:000}-{_random.Next(1, 100):00}-{_random.Next(1, 10000):0000}";
        }

        return Pick([$"000-{_random.Next(1, 100):00}-{_random.Next(1, 10000):0000}", $"666-{_random.Next(1, 100):00}-{_random.Next(1, 10000):0000}",
            $"9{_random.Next(100):00}-{_random.Next(1, 100):00}-{_random.Next(1, 10000):0000}", $"{_random.Next(1, 666):000}-00-{_random.Next(1, 10000):0000}",
            $"{_random.Next(1, 666):000}-{_random.Next(1, 100):00}-0000", $"{_random.Next(1, 666):000}-{_random.Next(1, 100):00}-{_random.Next(1, 10000):0000}-{Digits(2)}"]);
    }

    private const string NinoFirst = "ABCEGHJKLMNOPRSTWXYZ";
    private const string NinoSecond = "ABCEGHJKLMNPRSTWXYZ";

    private string Nino(bool valid)
    {
        string prefix;
        do
        {
            prefix = Chars(NinoFirst, 1) + Chars(NinoSecond, 1);
        }
        while (prefix is "BG" or "GB" or "NK" or "KN" or "TN" or "NT" or "ZZ");

        var spaced = _random.Next(2) == 0;
        string Format(string p, string suffix) => spaced ? $"{p} {Digits(2)} {Digits(2)} {Digits(2)} {suffix}" : $"{p}{Digits(6)}{suffix}";
        return valid
            ? Format(prefix, Chars("ABCD", 1))
            : Pick([Format(Pick(["BG", "GB", "NK", "TN", "ZZ"]), Chars("ABCD", 1)), Format(prefix, Chars("EFGXYZ", 1)), Format("D" + Chars(NinoSecond, 1), "A"), Format(Chars(NinoFirst, 1) + "O", "B")]);
    }
}
