# Sourced by the scripts: finds Python >= 3.13, creates .venv and installs the
# test requirements when they changed (a hash stamp keeps re-runs fast).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"

find_python() {
    local candidates=()
    [[ -n "${PYTHON:-}" ]] && candidates+=("$PYTHON")
    if command -v pyenv >/dev/null 2>&1; then
        local root; root="$(pyenv root)"
        for d in "$root"/versions/3.1[3-9]*; do
            [[ -x "$d/bin/python3" ]] && candidates+=("$d/bin/python3")
        done
    fi
    for d in "$HOME"/.pyenv/versions/3.1[3-9]*; do
        [[ -x "$d/bin/python3" ]] && candidates+=("$d/bin/python3")
    done
    candidates+=(python3.13 python3.14 python3)
    for c in "${candidates[@]}"; do
        if command -v "$c" >/dev/null 2>&1 &&
            "$c" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 13) else 1)' 2>/dev/null; then
            command -v "$c"
            return 0
        fi
    done
    echo "error: no Python >= 3.13 found (set PYTHON=/path/to/python3.13)" >&2
    return 1
}

ensure_venv() {
    local req_files=("$@")
    if [[ ! -x "$VENV/bin/python" ]]; then
        local py; py="$(find_python)"
        echo "Creating $VENV with $py" >&2
        "$py" -m venv "$VENV"
        "$VENV/bin/python" -m pip install --quiet --upgrade pip
    fi
    local stamp="$VENV/.installed-$(cat "${req_files[@]}" | sha256sum | cut -c1-16)"
    if [[ ! -f "$stamp" ]]; then
        echo "Installing ${req_files[*]} into .venv (a few minutes the first time)" >&2
        local args=()
        for f in "${req_files[@]}"; do args+=(-r "$f"); done
        "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "${args[@]}"
        touch "$stamp"
    fi
}
