#!/usr/bin/env bash
# Self-contained single-file `basalt` for Linux (issue 11 item 2): one executable per runtime identifier, no .NET
# needed on the target. Usage: scripts/publish.sh [--check] [linux-x64|linux-arm64 ...]   (default: both)
# --check runs each binary's `--version` and the whole `quickstart` (emulator, gateway, SQLite store, one streamed
# answer each way) in a temporary folder: natively when the binary is for this machine, else through qemu user-mode
# emulation (Debian: qemu-user plus the target's libc6, libssl3, libicu72 and zlib1g from multiarch, e.g.
# `dpkg --add-architecture arm64 && apt-get update && apt-get install qemu-user libc6:arm64 libssl3:arm64
# libicu72:arm64 zlib1g:arm64`). It fails when the emulation is missing rather than skipping the binary.
# Output: artifacts/publish/basalt-<rid>/basalt (+ libe_sqlite3.so, the SQLite native library; it is kept beside the
# binary rather than self-extracted, because self-extraction writes to $HOME/.net and the systemd unit and the
# container run with a read-only file system and no home directory).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out_root="${BASALT_PUBLISH_DIR:-${BASALT_ARTIFACTS:-$root/artifacts}/publish}"
check=0
rids=()
for arg in "$@"; do
  case "$arg" in
    --check) check=1 ;;
    *) rids+=("$arg") ;;
  esac
done
[ ${#rids[@]} -gt 0 ] || rids=(linux-x64 linux-arm64)

# How to run a binary built for <rid> on this machine: nothing, qemu-<arch>, or an error saying what to install.
runner_for() {
  local arch=${1#linux-} host
  arch=${arch#musl-}
  case "$(uname -m)" in x86_64) host=x64 ;; aarch64) host=arm64 ;; *) host=$(uname -m) ;; esac
  if [ "$arch" = "$host" ]; then echo ""; return; fi
  local qemu
  case "$arch" in arm64) qemu=qemu-aarch64 ;; x64) qemu=qemu-x86_64 ;; esac
  if ! command -v "$qemu" >/dev/null; then
    echo "error: --check of $1 on a $(uname -m) machine needs $qemu (Debian package qemu-user) and the target's libraries from multiarch; see the top of $0" >&2
    return 1
  fi
  echo "$qemu"
}
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
  if [ "$check" = 1 ]; then
    runner=$(runner_for "$rid")
    work=$(mktemp -d)
    start=$(date +%s)
    # The quickstart reads examples/ from the checkout it is given; it is the main job on embedded defaults.
    if ! (cd "$work" && $runner "$out/basalt" --version && $runner "$out/basalt" quickstart \
          --deployment "$root/examples/basalt.yaml" --identities "$root/examples/emulator/identities.yaml" >quickstart.txt 2>&1); then
      echo "error: $rid: the published binary failed its check; its output:" >&2
      cat "$work/quickstart.txt" >&2 || true
      rm -rf "$work"
      exit 1
    fi
    grep -c '^answer: ' "$work/quickstart.txt" | grep -qx 2 || { echo "error: $rid: the quickstart printed no answer" >&2; cat "$work/quickstart.txt" >&2; rm -rf "$work"; exit 1; }
    echo "check $rid: --version and quickstart (2 answers: direct and through the gateway) passed${runner:+ under $runner} in $(( $(date +%s) - start )) s"
    rm -rf "$work"
  fi
done
