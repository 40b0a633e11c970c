#!/usr/bin/env bash
# Runs "$@" in a fresh network namespace. Loopback is up, and a veth pair gives the
# namespace an interface with a default route: Chromium gathers no WebRTC candidates without one.
# 198.51.100.0/24 is a documentation range; nothing leaves the namespace (v1 has no peer outside).
set -euo pipefail
if [ "$#" -eq 0 ]; then
  echo "usage: scripts/in-netns.sh CMD [ARGS...]" >&2
  exit 2
fi
# As root a plain new network namespace; otherwise try an unprivileged user namespace that maps us to
# root inside it (needs kernel.unprivileged_userns_clone / user.max_user_namespaces > 0).
if [ "$(id -u)" -eq 0 ]; then
  unshare_args=(--net)
else
  unshare_args=(--user --map-root-user --net)
fi
exec unshare "${unshare_args[@]}" bash -c '
  set -e
  ip link set lo up
  ip link add v0 type veth peer name v1
  ip addr add 198.51.100.1/32 dev v0
  ip link set v0 up
  ip link set v1 up
  ip route add default dev v0
  exec "$@"
' in-netns "$@"
