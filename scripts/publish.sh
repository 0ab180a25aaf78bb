#!/usr/bin/env bash
# Self-contained single-file `basalt` for Linux (issue 11 item 2): one executable per runtime identifier, no .NET
# needed on the target. Usage: scripts/publish.sh [linux-x64|linux-arm64 ...]   (default: both)
# Output: artifacts/publish/basalt-<rid>/basalt (+ libe_sqlite3.so, the SQLite native library; it is kept beside the
# binary rather than self-extracted, because self-extraction writes to $HOME/.net and the systemd unit and the
# container run with a read-only file system and no home directory).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out_root="${BASALT_PUBLISH_DIR:-${BASALT_ARTIFACTS:-$root/artifacts}/publish}"
rids=("$@")
[ ${#rids[@]} -gt 0 ] || rids=(linux-x64 linux-arm64)
for rid in "${rids[@]}"; do
  case "$rid" in
    linux-x64|linux-arm64|linux-musl-x64) ;;
    *) echo "error: runtime identifier '$rid' is not supported here; use linux-x64 or linux-arm64" >&2; exit 2 ;;
  esac
  out="$out_root/basalt-$rid"
  rm -rf "$out"
  dotnet publish "$root/src/Basalt.Cli/Basalt.Cli.csproj" -c Release -r "$rid" --self-contained true -nologo -v quiet \
    -p:PublishSingleFile=true -p:IncludeNativeLibrariesForSelfExtract=false -p:EnableCompressionInSingleFile=true \
    -p:DebugType=none -p:PackAsTool=false -o "$out"
  mv "$out/Basalt.Cli" "$out/basalt"
  # Only the executable and the native libraries ship; nothing else is needed at run time.
  find "$out" -maxdepth 1 -type f ! -name basalt ! -name '*.so' -delete
  chmod 0755 "$out/basalt"
  echo "$out/basalt ($(du -h "$out/basalt" | cut -f1)) $(cd "$out" && ls | tr '\n' ' ')"
done
