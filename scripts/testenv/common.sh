# shellcheck shell=bash disable=SC2034  # The variables are for the scripts that source this.
# Shared by scripts/testenv/up and scripts/testenv/down: where the machine-wide test environment
# lives and which loopback ports and names it uses. Sourced, not executed.

STATE=${SWEREX_TESTENV_DIR:-/tmp/swerex-testenv}
DOCKER_SOCKET=/var/run/docker.sock
TLS_PORT=${SWEREX_TESTENV_TLS_PORT:-23760}
SSH_PORT=${SWEREX_TESTENV_SSH_PORT:-22220}
# The TLS daemon gets a bridge of its own so its containers can publish ports without touching
# docker0; the subnets stay clear of docker0 (172.17/16), docker's pools (172.17-31, 192.168) and
# podman's (10.88, 10.89).
TLS_BRIDGE=${SWEREX_TESTENV_TLS_BRIDGE:-swerextls0}
TLS_BRIDGE_CIDR=${SWEREX_TESTENV_TLS_BRIDGE_CIDR:-10.213.0.1/24}

# The knobs above and these two exist so that the scripts can be tried on a machine whose test
# environment is in use, beside it: another folder, other ports, bridge, image tag and user.
IMAGE_TAG=${SWEREX_TESTENV_IMAGE_TAG:-test}
UNPRIVILEGED_USER=${SWEREX_TESTENV_USER:-swerextest}

SANDBOX_IMAGE=swerex-sandbox:$IMAGE_TAG
BUSYBOX_IMAGE=swerex-busybox:$IMAGE_TAG
ROOTFS_IMAGE=swerex-testenv/rootfs:bookworm-$IMAGE_TAG
# Every container, image and daemon-side object the set-up creates carries this label.
LABEL=io.swerex.testenv
CHECK_LABEL=io.swerex.testenv.check

DOCKERD_DIR=$STATE/dockerd
TLS_DIR=$STATE/dockerd-tls
TLS_SOCKET=$TLS_DIR/docker.sock
CERT_DIR=$STATE/tls/client
WRONG_CA_DIR=$STATE/tls-wrong-ca
SSH_DIR=$STATE/sshd
SSH_CONFIG=$SSH_DIR/ssh_config
PODMAN_DIR=$STATE/podman
CONTAINERS_CONF_FILE=$PODMAN_DIR/containers.conf
CACHE_DIR=$STATE/cache
SCHEMA_VENV=$STATE/venv-schema
BENCH_VENV=$STATE/venv-bench

# The Debian client (20.10) matches the Debian daemon; a newer client in /usr/local/bin works too.
if [[ -x /usr/bin/docker ]]; then DOCKER_CLI=/usr/bin/docker; else DOCKER_CLI=docker; fi

docker_main() { "$DOCKER_CLI" -H "unix://$DOCKER_SOCKET" "$@"; }
docker_tls() { "$DOCKER_CLI" -H "unix://$TLS_SOCKET" "$@"; }
podman_env() { CONTAINERS_CONF=$CONTAINERS_CONF_FILE podman "$@"; }

# True when a live process has the pid written in file $1.
pidfile_alive() {
    local pid
    [[ -s $1 ]] || return 1
    pid=$(<"$1")
    [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null
}

# Sends TERM to the pid in file $1 and waits up to $2 seconds (default 20), then KILL.
stop_pidfile() {
    local file=$1 limit=${2:-20} pid i
    pidfile_alive "$file" || return 0
    pid=$(<"$file")
    kill -TERM "$pid" 2>/dev/null || return 0
    for ((i = 0; i < limit * 10; i++)); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
}
