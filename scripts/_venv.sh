# Sourced by the scripts: picks the Home Assistant version, finds Python 3.13, creates that
# version's venv and installs the requirements when they changed (a hash stamp keeps re-runs fast).
#
#   HA_VERSION=2025.4.4 (default: the minimum in hacs.json)  -> .venv
#   HA_VERSION=2026.2.3                                      -> .venv-2026.2.3
#
# Each version has requirements_ha-<version>.txt (the test plugin that pins Home Assistant, and
# what that version needs); requirements_test.txt is shared. A line "# pip-options: ..." in the
# version's file adds options to its pip install.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HA_VERSION_DEFAULT=2025.4.4
HA_VERSION="${HA_VERSION:-$HA_VERSION_DEFAULT}"
HA_REQUIREMENTS="$ROOT/requirements_ha-$HA_VERSION.txt"
if [[ ! -f "$HA_REQUIREMENTS" ]]; then
    known="$(cd "$ROOT" && ls requirements_ha-*.txt | sed 's/^requirements_ha-//; s/\.txt$//' | tr '\n' ' ')"
    echo "error: HA_VERSION=$HA_VERSION has no requirements_ha-$HA_VERSION.txt (known: $known)" >&2
    exit 2
fi
if [[ "$HA_VERSION" == "$HA_VERSION_DEFAULT" ]]; then
    VENV="$ROOT/.venv"
else
    VENV="$ROOT/.venv-$HA_VERSION"
fi
export HA_VERSION

find_python() {
    # Home Assistant 2025.4 and 2026.2 run on Python 3.13; pyenv's newest 3.13.x comes first
    # (hass 2026.2 itself wants >= 3.13.2; its tests run on 3.13.0 too).
    local candidates=()
    [[ -n "${PYTHON:-}" ]] && candidates+=("$PYTHON")
    local roots=()
    command -v pyenv >/dev/null 2>&1 && roots+=("$(pyenv root)")
    roots+=("$HOME/.pyenv")
    local root d
    for root in "${roots[@]}"; do
        while IFS= read -r d; do
            [[ -x "$d/bin/python3.13" ]] && candidates+=("$d/bin/python3.13")
        done < <(compgen -G "$root/versions/3.13*" | sort -rV)
    done
    candidates+=(python3.13 python3)
    local c
    for c in "${candidates[@]}"; do
        if command -v "$c" >/dev/null 2>&1 &&
            "$c" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 13) else 1)' 2>/dev/null; then
            command -v "$c"
            return 0
        fi
    done
    echo "error: no Python 3.13 found (set PYTHON=/path/to/python3.13)" >&2
    return 1
}

# ensure_venv [requirements file ...]: the venv of HA_VERSION with requirements_test.txt, the
# version's requirements_ha-<version>.txt and the files given.
ensure_venv() {
    local req_files=("$ROOT/requirements_test.txt" "$HA_REQUIREMENTS" "$@")
    if [[ ! -x "$VENV/bin/python" ]]; then
        local py
        py="$(find_python)"
        echo "Creating ${VENV#"$ROOT"/} with $py (Home Assistant $HA_VERSION)" >&2
        "$py" -m venv "$VENV"
        "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
    fi
    local stamp
    stamp="$VENV/.installed-$(cat "${req_files[@]}" | sha256sum | cut -c1-16)"
    if [[ ! -f "$stamp" ]]; then
        echo "Installing ${req_files[*]#"$ROOT"/} into ${VENV#"$ROOT"/} (a few minutes the first time)" >&2
        local args=()
        # shellcheck disable=SC2207 # options are single words
        args+=($(sed -n 's/^# pip-options://p' "$HA_REQUIREMENTS"))
        local f
        for f in "${req_files[@]}"; do args+=(-r "$f"); done
        "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "${args[@]}"
        touch "$stamp"
    fi
}

# ensure_frontend: the home-assistant-frontend that the installed Home Assistant's frontend
# manifest asks for (scripts/develop and scripts/e2e run the real UI).
ensure_frontend() {
    local wanted
    wanted="$("$VENV/bin/python" - <<'EOF'
import json
from pathlib import Path

import homeassistant.components.frontend as frontend

manifest = json.loads((Path(frontend.__file__).parent / "manifest.json").read_text())
print(next(r for r in manifest["requirements"] if r.startswith("home-assistant-frontend==")))
EOF
)"
    local stamp="$VENV/.installed-${wanted//[^A-Za-z0-9.=-]/_}"
    if [[ ! -f "$stamp" ]]; then
        echo "Installing $wanted into ${VENV#"$ROOT"/}" >&2
        "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "$wanted"
        touch "$stamp"
    fi
}

# check_hass_python: stop with a clear message when Home Assistant itself (hass, not the test
# plugin) would refuse the venv's Python, as 2026.2.3 refuses 3.13.0 (it needs 3.13.2).
check_hass_python() {
    "$VENV/bin/python" - "$HA_VERSION" <<'EOF_PY' || exit 1
import sys

from homeassistant.const import REQUIRED_PYTHON_VER

if sys.version_info[:3] < REQUIRED_PYTHON_VER:
    have = ".".join(map(str, sys.version_info[:3]))
    need = ".".join(map(str, REQUIRED_PYTHON_VER))
    sys.exit(
        f"error: Home Assistant {sys.argv[1]} runs on Python >= {need}, but its venv has {have}"
        " (the tests run there; hass does not). Use the default HA_VERSION, or recreate the"
        " venv with PYTHON=/path/to/python3.13 (a newer 3.13)."
    )
EOF_PY
}
