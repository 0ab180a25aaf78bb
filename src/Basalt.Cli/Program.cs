using Basalt.Cli.Commands;

return await BasaltCommand.Create().Parse(args).InvokeAsync().ConfigureAwait(false);
