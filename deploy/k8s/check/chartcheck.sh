#!/usr/bin/env bash
# Runs the offline chart checker in its own Python 3.12 environment (deploy/k8s/check/.venv), installing it and
# the CRD schemas (crd/node_modules) first when missing or stale:
#   deploy/k8s/check/chartcheck.sh deploy/k8s/qinglang [values files...]   (see python -m chartcheck --help)
#   deploy/k8s/check/chartcheck.sh --install                                 (install only)
# Python 3.12 comes from CHART_CHECK_PYTHON, else pyenv's versions, else the system; uv never downloads one.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../../.." && pwd)
uv=${UV:-$root/.run/bootstrap/bin/uv}
[ -x "$uv" ] || { echo "chartcheck: no uv at $uv (run \`make install\` first, or set UV)" >&2; exit 2; }

py=${CHART_CHECK_PYTHON:-}
if [ -z "$py" ]; then
	for candidate in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.12.*/bin/python3.12 /usr/local/bin/python3.12 /usr/bin/python3.12; do
		# a pyenv shim may exist without the version behind it: ask the interpreter itself
		if [ -x "$candidate" ] && "$candidate" -c 'import sys; assert sys.version_info[:2] == (3, 12)' 2>/dev/null; then
			py=$candidate
			break
		fi
	done
fi
[ -n "$py" ] || { echo "chartcheck: no Python 3.12 found (pyenv's versions, /usr/local/bin, /usr/bin); set CHART_CHECK_PYTHON" >&2; exit 2; }

unset UV_PROJECT_ENVIRONMENT VIRTUAL_ENV
export UV_PYTHON_DOWNLOADS=never
"$uv" sync --project "$here" --frozen --quiet --python "$py"

command -v node >/dev/null || { echo "chartcheck: the CRD schemas need Node.js and npm; none on PATH" >&2; exit 2; }
stamp=$here/crd/node_modules/.package-lock.json
if [ ! -f "$stamp" ] || [ "$here/crd/package-lock.json" -nt "$stamp" ]; then
	npm ci --prefix "$here/crd" --no-audit --no-fund --loglevel=error
fi

if [ "${1:-}" = "--install" ]; then exit 0; fi
exec "$uv" run --project "$here" --frozen --python "$py" --no-sync python -m chartcheck "$@"
