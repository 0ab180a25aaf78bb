namespace Basalt.Usage.Ingest;

/// <summary>One OTLP attribute, its value flattened to text (string, int, double or bool as sent).</summary>
internal readonly record struct OtlpAttribute(string Key, string? Value);
