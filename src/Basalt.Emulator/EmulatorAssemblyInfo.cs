using System.Runtime.CompilerServices;

// The emulator is hosted in-process by the CLI and by tests; internals are shared with both.
[assembly: InternalsVisibleTo("Basalt.Cli.Tests")]
