using System.Text;
using System.Text.Json;
using Basalt.Policy.Pii;

namespace Basalt.Tests.Policy.Pii;

public sealed class PiiMaskingTests
{
    private const string Card = "4111 1111 1111 1111";
    private const string AccessKey = "AKIAIOSFODNN7EXAMPLE";

    private static (PiiMaskingSession Session, PiiPolicy Policy) Session(PiiAction card = PiiAction.Mask, bool restore = true, params PiiCustomPattern[] custom)
    {
        var policy = new PiiPolicy
        {
            Actions = new Dictionary<PiiCategory, PiiAction> { [PiiCategory.PaymentCard] = card, [PiiCategory.AwsAccessKey] = PiiAction.Mask, [PiiCategory.Email] = PiiAction.LogOnly },
            CustomPatterns = custom,
            RestoreInResponse = restore,
        };
        return (new PiiMaskingSession(policy, PiiScanner.For(policy)), policy);
    }

    [Fact]
    public void The_same_value_gets_the_same_placeholder_and_restores_to_it()
    {
        var (session, _) = Session();
        var masked = session.Apply($"pay with {Card}, key {AccessKey}, again {Card}");
        Assert.Equal("pay with [CARD_1], key [AWS_ACCESS_KEY_1], again [CARD_1]", masked);
        Assert.Equal(2, session.Findings["PaymentCard"]);
        Assert.Equal($"The card {Card} was charged", session.Restore("The card [CARD_1] was charged"));
        Assert.Equal("[CARD_9] is not ours", session.Restore("[CARD_9] is not ours"));
    }

    [Fact]
    public void Block_names_the_category_and_log_only_changes_nothing()
    {
        var (session, _) = Session(card: PiiAction.Block);
        var text = $"mail me at a.person@example.com about {Card}";
        Assert.Same(text, session.Apply(text));
        Assert.Equal("PaymentCard", session.BlockedBy);
        Assert.Equal(1, session.Findings["Email"]);
    }

    [Fact]
    public void Custom_patterns_use_their_own_name_and_action()
    {
        var (session, _) = Session(custom: new PiiCustomPattern("employee-id", @"EMP-\d{6}", PiiAction.Mask));
        Assert.Equal("ask [EMPLOYEE_ID_1]", session.Apply("ask EMP-123456"));
    }

    [Fact]
    public void A_custom_pattern_cannot_be_slow_on_hostile_input()
    {
        // Catastrophic for a backtracking engine; linear for the non-backtracking one custom patterns compile to.
        var (session, _) = Session(custom: new PiiCustomPattern("evil", "(a+)+b", PiiAction.Mask));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        session.Apply(new string('a', 50_000) + "c");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.Elapsed}");
    }

    [Fact]
    public void Request_rewrite_masks_text_and_tool_results_and_leaves_thinking_tool_input_and_images_alone()
    {
        var (session, _) = Session();
        var body = $$$"""
            {"model":"claude-sonnet-5","max_tokens":10,"system":"operator key {{{AccessKey}}}",
             "messages":[
              {"role":"user","content":"card {{{Card}}}"},
              {"role":"assistant","content":[{"type":"thinking","thinking":"card {{{Card}}}","signature":"c2ln"},{"type":"tool_use","id":"t1","name":"pay","input":{"card":"{{{Card}}}"}}]},
              {"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":"charged {{{Card}}}"},
                                        {"type":"text","text":"\u00e9t\u00e9 {{{Card}}} \"quoted\""},
                                        {"type":"image","source":{"type":"base64","media_type":"image/png","data":"{{{Card}}}"}}]}]}
            """;
        var rewritten = PiiRequestRewriter.Rewrite(Encoding.UTF8.GetBytes(body), session);
        Assert.NotNull(rewritten);
        var json = Encoding.UTF8.GetString(rewritten);
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        Assert.Equal("operator key [AWS_ACCESS_KEY_1]", root.GetProperty("system").GetString());
        var messages = root.GetProperty("messages");
        Assert.Equal("card [CARD_1]", messages[0].GetProperty("content").GetString());
        Assert.Equal($"card {Card}", messages[1].GetProperty("content")[0].GetProperty("thinking").GetString());
        Assert.Equal(Card, messages[1].GetProperty("content")[1].GetProperty("input").GetProperty("card").GetString());
        Assert.Equal("charged [CARD_1]", messages[2].GetProperty("content")[0].GetProperty("content").GetString());
        Assert.Equal("été [CARD_1] \"quoted\"", messages[2].GetProperty("content")[1].GetProperty("text").GetString());
        Assert.Equal(Card, messages[2].GetProperty("content")[2].GetProperty("source").GetProperty("data").GetString());
        // Everything but the masked strings is the original bytes (surgical, like the rest of the gateway).
        Assert.StartsWith("{\"model\":\"claude-sonnet-5\",\"max_tokens\":10,\"system\":", json, StringComparison.Ordinal);
        Assert.Contains("\"signature\":\"c2ln\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Request_without_findings_or_malformed_is_left_to_the_caller()
    {
        var (session, _) = Session();
        Assert.Null(PiiRequestRewriter.Rewrite("{\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}"u8, session));
        Assert.Null(PiiRequestRewriter.Rewrite("{\"messages\":[{\"content\":\"4111 1111 1111 1111\""u8, session));
    }

    [Fact]
    public void Streaming_restore_puts_back_a_placeholder_split_across_deltas()
    {
        var (session, _) = Session();
        session.Apply($"card {Card}");
        var filter = new PiiStreamFilter(session, secrets: null);
        var output = new StringBuilder();
        foreach (var delta in new[] { "Your card [CA", "RD_", "1] is ", "fine [", "not a placeholder" })
        {
            output.Append(filter.Push(delta));
        }

        output.Append(filter.Flush());
        Assert.Equal($"Your card {Card} is fine [not a placeholder", output.ToString());
    }

    [Fact]
    public void Streaming_masks_a_secret_split_across_deltas_and_holds_back_no_more_than_its_window()
    {
        var filter = new PiiStreamFilter(restore: null, PiiScanner.Secrets());
        var output = new StringBuilder();
        var text = "Here is a key: " + AccessKey + " and a token ghp_" + new string('a', 36) + " done. " + string.Concat(Enumerable.Repeat("lorem ipsum ", 200));
        var maxPending = 0;
        for (var i = 0; i < text.Length; i += 7)
        {
            output.Append(filter.Push(text.Substring(i, Math.Min(7, text.Length - i))));
            maxPending = Math.Max(maxPending, filter.Pending);
        }

        output.Append(filter.Flush());
        var result = output.ToString();
        Assert.DoesNotContain(AccessKey, result, StringComparison.Ordinal);
        Assert.Contains("[REDACTED_AWS_ACCESS_KEY]", result, StringComparison.Ordinal);
        Assert.Contains("[REDACTED_GITHUB_TOKEN]", result, StringComparison.Ordinal);
        Assert.EndsWith("lorem ipsum ", result, StringComparison.Ordinal);
        // The window, plus the token being completed when the window's edge falls inside it (a GitHub token: 40).
        Assert.InRange(maxPending, 1, PiiStreamFilter.LookBehindChars + 40 + 7);
    }
}
