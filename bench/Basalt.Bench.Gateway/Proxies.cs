using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Basalt.Bench.Gateway;

/// <summary>Starts the three proxies under test in front of one emulator, each as its own process.</summary>
internal static class Proxies
{
    /// <summary>
    /// nginx (Debian's package) as the current user with its own prefix: the generated nginx.conf keeps upstream
    /// connections alive and turns buffering off both ways, so streams pass as they come (what a careful operator
    /// would configure in front of an LLM API). Workers: one per core, as <c>worker_processes auto</c> does.
    /// </summary>
    public static async Task<ServerProcess> StartNginxAsync(string nginx, Uri emulator, string dir)
    {
        Directory.CreateDirectory(dir);
        var port = FreePort();
        var user = Environment.UserName;
        var conf = new StringBuilder();
        conf.AppendLine("daemon off;");
        conf.AppendLine("worker_processes auto;");
        if (user == "root")
        {
            // Run as root, nginx would switch its workers to 'nobody', who cannot write this prefix.
            conf.AppendLine("user root;");
        }

        conf.AppendLine($"pid {dir}/nginx.pid;");
        conf.AppendLine($"error_log {dir}/error.log warn;");
        conf.AppendLine("worker_rlimit_nofile 16384;");
        conf.AppendLine("events { worker_connections 8192; }");
        conf.AppendLine("http {");
        conf.AppendLine($"  access_log {dir}/access.log;");
        foreach (var temp in new[] { "client_body", "proxy", "fastcgi", "uwsgi", "scgi" })
        {
            conf.AppendLine($"  {temp}_temp_path {dir}/{temp};");
        }

        conf.AppendLine("  upstream emulator {");
        conf.AppendLine($"    server {emulator.Host}:{emulator.Port};");
        conf.AppendLine("    keepalive 256;");
        conf.AppendLine("  }");
        conf.AppendLine("  server {");
        conf.AppendLine($"    listen 127.0.0.1:{port};");
        conf.AppendLine("    client_max_body_size 25m;");
        conf.AppendLine("    location / {");
        conf.AppendLine("      proxy_pass http://emulator;");
        conf.AppendLine("      proxy_http_version 1.1;");
        conf.AppendLine("      proxy_set_header Connection \"\";");
        conf.AppendLine("      proxy_buffering off;");
        conf.AppendLine("      proxy_read_timeout 300s;");
        conf.AppendLine("    }");
        conf.AppendLine("  }");
        conf.AppendLine("}");
        var confPath = Path.Combine(dir, "nginx.conf");
        await File.WriteAllTextAsync(confPath, conf.ToString());
        var process = ServerProcess.Start("nginx", nginx, ["-p", dir, "-c", confPath, "-e", Path.Combine(dir, "error.log")], Path.Combine(dir, "nginx.out"));
        await process.WaitForPortAsync(port, TimeSpan.FromSeconds(20));
        return process;
    }

    /// <summary>
    /// Portkey's gateway (npm <c>@portkey-ai/gateway</c>, pinned in portkey/package.json) started with node directly
    /// (not through npx, so the PID is the server's). NODE_ENV=production and --headless: no console UI.
    /// </summary>
    public static async Task<ServerProcess> StartPortkeyAsync(string node, string serverScript, string dir)
    {
        Directory.CreateDirectory(dir);
        var port = FreePort();
        var process = ServerProcess.Start("portkey", node, [serverScript, $"--port={port}", "--headless"], Path.Combine(dir, "portkey.out"),
            new Dictionary<string, string> { ["NODE_ENV"] = "production" });
        await process.WaitForPortAsync(port, TimeSpan.FromSeconds(30));
        return process;
    }

    /// <summary><c>basalt gateway serve --config FILE</c>, exactly as an operator runs it.</summary>
    public static async Task<ServerProcess> StartBasaltAsync(string cliDll, string configYaml, IReadOnlyDictionary<string, string> environment, string dir, string name = "basalt")
    {
        Directory.CreateDirectory(dir);
        var config = Path.Combine(dir, "gateway.yaml");
        await File.WriteAllTextAsync(config, configYaml);
        var process = ServerProcess.Start(name, "dotnet", [cliDll, "gateway", "serve", "--config", config], Path.Combine(dir, "gateway.out"), environment);
        await process.WaitForListeningLineAsync(TimeSpan.FromSeconds(60));
        return process;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
