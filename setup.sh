#!/usr/bin/env bash
# Installs what TierFS needs on Debian/Ubuntu: JDK 17, Maven, FUSE (libfuse2 for jnr-fuse, fuse3's fusermount),
# attr (getfattr/setfattr), util-linux (setpriv, used by the permission tests), headless Chromium (the status
# page test) and PostgreSQL (the journal of a multi-node cluster; the cluster tests start their own server through
# scripts/dev-postgres.sh, the distribution's default server is left stopped), and creates /mnt/tierfs.
# Safe to run twice.
set -euo pipefail
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
pkgs=(openjdk-17-jdk-headless maven fuse3 libfuse2 attr util-linux procps chromium chromium-driver postgresql)
missing=()
for p in "${pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi
# Let mounts made by a non-root user be shared with the other users of the node (-o allow_other).
if [ -f /etc/fuse.conf ] && ! grep -q '^user_allow_other' /etc/fuse.conf; then
  echo user_allow_other | $SUDO tee -a /etc/fuse.conf >/dev/null
fi
# The README's mount point, owned by whoever will mount it (a non-root mount needs write access to it).
owner="${SUDO_USER:-$(id -un)}"
if [ ! -d /mnt/tierfs ]; then
  $SUDO mkdir -p /mnt/tierfs
  $SUDO chown "$owner" /mnt/tierfs
fi
[ -e /dev/fuse ] || echo "setup: warning: /dev/fuse is missing: mounts will fail (load the fuse module or run the container with --device /dev/fuse)" >&2
echo "setup: ok ($(java -version 2>&1 | head -1); $(mvn -v 2>/dev/null | head -1))"
