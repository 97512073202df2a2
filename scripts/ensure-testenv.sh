# shellcheck shell=bash
# Sourced by scripts/test and scripts/demo: runs scripts/testenv/up (as root, or through sudo when
# it needs no password), then exports every key of its env file. Sets TESTENV_FILE.

ensure_testenv() {
    local root=$1
    shift
    if [[ $EUID -eq 0 ]]; then
        "$root/scripts/testenv/up" "$@"
    elif sudo -n true 2>/dev/null; then
        sudo -n --preserve-env=SWEREX_TESTENV_DIR "$root/scripts/testenv/up" "$@"
    elif [[ -s ${SWEREX_TESTENV_DIR:-/tmp/swerex-testenv}/env ]]; then
        echo "note: not root, so the test environment was not checked; using what is there" >&2
    else
        echo "error: the test environment is set up as root: sudo $root/scripts/testenv/up" >&2
        return 1
    fi
    TESTENV_FILE=${SWEREX_TESTENV_DIR:-/tmp/swerex-testenv}/env
    local key value
    while IFS='=' read -r key value; do
        [[ $key =~ ^SWEREX_TEST_[A-Z_]+$ ]] && export "$key=$value"
    done <"$TESTENV_FILE"
}
