#!/usr/bin/env bash
# Builds the gateway's container image from deploy/container/Containerfile and runs it for real with podman, with
# the runtime options compose.yaml gives it (read-only root file system, user 10001, all capabilities dropped,
# no-new-privileges, a /tmp tmpfs, a volume for /var/lib/basalt, secrets as files under /run/secrets), against this
# machine's emulator and a throwaway PostgreSQL (scripts/pg-test-cluster.sh). It checks that the image's HEALTHCHECK
# turns healthy, that a request with the shipped gateway.yaml's API key is answered through the emulator, that
# `podman stop` (SIGTERM) drains and exits 0, and that the usage store then holds the request. Finally it asks
# podman-compose to interpret compose.yaml (--dry-run) and checks the options it would run the gateway with.
#
# Usage: deploy/container/check.sh        (opt-in: not part of scripts/test.sh; takes 1-3 minutes)
# Needs: podman, podman-compose, mmdebstrap and the Debian mirror (apt-get install podman podman-compose mmdebstrap).
# The base image: mcr.microsoft.com/dotnet/runtime-deps is not reachable from a machine that only reaches Debian, so
# the Containerfile's BASE argument is given an equivalent built here from Debian bookworm (libc, OpenSSL, ICU,
# zlib, libstdc++, CA certificates, tzdata), imported once as localhost/basalt-runtime-deps:bookworm.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
art="${BASALT_ARTIFACTS:-$root/artifacts}"
publish="$art/publish/basalt-linux-x64"
for tool in podman podman-compose mmdebstrap; do
  command -v "$tool" >/dev/null || { echo "error: $tool is missing; install it with: apt-get install -y podman podman-compose mmdebstrap" >&2; exit 2; }
done
[ -x "$publish/basalt" ] || BASALT_ARTIFACTS="$art" scripts/publish.sh linux-x64 >/dev/null
rel=$(realpath --relative-to="$root" "$publish")
case "$rel" in ../*) echo "error: $publish is outside the repository; the image build context is the repository root (unset BASALT_ARTIFACTS)" >&2; exit 2 ;; esac

# Some sandboxes refuse to raise rlimits (podman asks for nofile 1048576 as root); ask for limits within the host's.
limits=(--ulimit "nofile=4096:4096" --ulimit "nproc=4096:4096")
base=localhost/basalt-runtime-deps:bookworm
if ! podman image exists "$base"; then
  echo "building $base from Debian bookworm (once)"
  mmdebstrap --quiet --variant=minbase --include=ca-certificates,libicu72,libssl3,zlib1g,libstdc++6,libgcc-s1,tzdata \
    bookworm - http://deb.debian.org/debian | podman import - "$base" >/dev/null
fi
image=localhost/basalt-gateway:check
podman build --quiet --format docker "${limits[@]}" -f deploy/container/Containerfile \
  --build-arg BASE="$base" --build-arg PUBLISH_DIR="$rel" -t "$image" . >/dev/null
user=$(podman image inspect "$image" --format '{{.Config.User}}')
[ "$user" = "10001:10001" ] || { echo "error: the image runs as '$user', expected 10001:10001" >&2; exit 1; }
echo "image $image built (user $user, $(podman image inspect "$image" --format '{{.Size}}') bytes)"

work=$(mktemp -d)
pgdir=$(mktemp -d /tmp/basalt-pg.XXXXXX)
name=basalt-check-$$
emulator_pid=
cleanup() {
  podman rm -f "$name" >/dev/null 2>&1 || true
  podman volume rm -f "$name-data" "${name}_pgdata" "${name}_gateway-data" >/dev/null 2>&1 || true
  podman network rm -f "${name}_default" >/dev/null 2>&1 || true
  [ -n "$emulator_pid" ] && kill "$emulator_pid" 2>/dev/null || true
  scripts/pg-test-cluster.sh stop "$pgdir" || true
  rm -rf "$work"
}
trap cleanup EXIT

# The upstream: the emulator on loopback, whose alice holds the access key the shipped gateway.yaml names.
"$publish/basalt" emulator --config examples/emulator/identities.yaml --port 0 >"$work/emulator.log" 2>&1 &
emulator_pid=$!
for _ in $(seq 100); do grep -q 'listening on' "$work/emulator.log" && break; sleep 0.1; done
upstream=$(grep -o 'http://127.0.0.1:[0-9]*' "$work/emulator.log" | head -1)
[ -n "$upstream" ] || { cat "$work/emulator.log" >&2; echo "error: the emulator did not start" >&2; exit 1; }
connection=$(scripts/pg-test-cluster.sh start "$pgdir")

# Secrets as compose gives them: files under /run/secrets. A bind-mounted file keeps its host owner, so the
# gateway's secrets belong to the image's user (0600, uid 10001) — a root-owned 0600 file is unreadable inside.
mkdir -p "$work/secrets"
umask 077
head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$work/secrets/alice-key"
printf 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' >"$work/secrets/upstream-secret-key"
printf '%s' "$connection" >"$work/secrets/usage-connection"
chown 10001:10001 "$work/secrets"/*
umask 022
# The shipped configuration, pointed at this machine's emulator. The container shares the host's network (to reach
# the emulator on loopback), so it listens on 127.0.0.1:8080, the port the image's HEALTHCHECK asks.
port=8080
if (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null; then
  echo "error: 127.0.0.1:$port is in use; the check runs the container on the host network and needs that port free" >&2; exit 2
fi
sed -e "s|      region: us-east-1|      region: us-east-1\n      endpoint: $upstream|" -e "s|http://0.0.0.0:8080|http://127.0.0.1:$port|" \
  deploy/container/gateway.yaml >"$work/gateway.yaml"
chmod 0644 "$work/gateway.yaml"

podman volume create "$name-data" >/dev/null
podman run -d --name "$name" "${limits[@]}" --network host \
  --read-only --user 10001:10001 --cap-drop ALL --security-opt no-new-privileges --tmpfs /tmp:size=64m,mode=1777 \
  -v "$work/gateway.yaml:/etc/basalt/gateway.yaml:ro" -v "$name-data:/var/lib/basalt" \
  -v "$work/secrets/usage-connection:/run/secrets/usage-connection:ro" -v "$work/secrets/alice-key:/run/secrets/alice-key:ro" \
  -v "$work/secrets/upstream-secret-key:/run/secrets/upstream-secret-key:ro" -v "$pgdir:$pgdir" \
  --stop-timeout 40 "$image" >/dev/null

healthy=
for _ in $(seq 60); do
  if podman healthcheck run "$name" >/dev/null 2>&1; then healthy=1; break; fi
  sleep 1
done
[ -n "$healthy" ] || { podman logs "$name" >&2; echo "error: the HEALTHCHECK never passed" >&2; exit 1; }
echo "HEALTHCHECK (basalt gateway doctor --health-only inside the image) passed; state: $(podman inspect "$name" --format '{{.State.Health.Status}}')"

status=$(curl -s -o "$work/answer.json" -w '%{http_code}' "http://127.0.0.1:$port/v1/messages" \
  -H "authorization: Bearer $(cat "$work/secrets/alice-key")" -H 'content-type: application/json' -H 'anthropic-version: 2023-06-01' \
  -d '{"model":"sonnet","max_tokens":64,"messages":[{"role":"user","content":"Hello from the container check"}]}')
[ "$status" = 200 ] || { cat "$work/answer.json" >&2; podman logs "$name" >&2; echo "error: the request got $status" >&2; exit 1; }
grep -q '"output_tokens"' "$work/answer.json" || { cat "$work/answer.json" >&2; exit 1; }
echo "request through the container: 200 ($(grep -o '"output_tokens":[0-9]*' "$work/answer.json"))"
# The journal and state live on the volume, written as the image's user; the root file system is read-only.
podman exec "$name" sh -c 'test -n "$(find /var/lib/basalt -mindepth 1 -user 10001 -print -quit)"' \
  || { podman exec "$name" ls -lnR /var/lib/basalt >&2; echo "error: the gateway wrote nothing to its volume /var/lib/basalt" >&2; exit 1; }
if podman exec "$name" /opt/basalt/basalt --version >/dev/null && podman exec "$name" sh -c 'echo x > /opt/basalt/x' 2>/dev/null; then
  echo "error: the root file system is writable" >&2; exit 1
fi

podman stop -t 40 "$name" >/dev/null
code=$(podman inspect "$name" --format '{{.State.ExitCode}}')
[ "$code" = 0 ] || { podman logs "$name" >&2; echo "error: the gateway exited $code after SIGTERM" >&2; exit 1; }
report=$(BASALT_USAGE_STORE="postgresql:$connection" "$publish/basalt" usage report --by user --format csv 2>&1 || true)
echo "$report" | grep -q '^alice,' || { echo "$report" >&2; echo "error: the usage store has no record of alice's request" >&2; exit 1; }
echo "podman stop (SIGTERM): exit 0; usage report: $(echo "$report" | grep '^alice,')"

# compose.yaml as a compose implementation reads it: the gateway service's options. (podman-compose's --dry-run
# still creates the project's network and volumes: they carry this run's name and are removed on exit.)
dry=$(cd deploy/container && podman-compose -p "$name" --dry-run -f compose.yaml up -d 2>&1 || true)
gateway_run=$(echo "$dry" | grep -- "--name=${name}_gateway_1" || true)
for option in "--read-only" "-u 10001:10001" "--cap-drop ALL" "--security-opt no-new-privileges:true" "--tmpfs /tmp:size=64m,mode=1777" \
              "--healthcheck-command" "-p 127.0.0.1:8080:8080" "--stop-signal SIGTERM" "/run/secrets/alice-key:ro"; do
  echo "$gateway_run" | grep -q -- "$option" || { echo "$dry" >&2; echo "error: podman-compose does not run the gateway with $option" >&2; exit 1; }
done
echo "compose.yaml: podman-compose --dry-run runs the gateway read-only, as 10001:10001, without capabilities, with its health check"
