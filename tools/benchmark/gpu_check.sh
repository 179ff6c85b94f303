#!/usr/bin/env bash
# The prepared GPU check, in two steps (docs/benchmarks.md, "GPU check").
#
#   bash tools/benchmark/gpu_check.sh --prepare          # here, with the package registries:
#       downloads the pure-Python wheels (for Python 3.12) and mmcv's source into
#       .gpu_bundle/ (ignored by git) and checks that the bundle and the tracked
#       tree fit the 64 MiB a GPU machine is sent
#   bash tools/benchmark/gpu_check.sh --out DIR          # on the GPU machine, offline:
#       installs the bundle into a venv that reuses the image's torch, builds
#       mmcv's CPU ops (MAX_JOBS = cores), then runs tools/benchmark/gpu_check.py,
#       which writes DIR/gpu_check.json and DIR/gpu_check.md
#   bash tools/benchmark/gpu_check.sh --dry-run --out DIR   # here: the same measurements on
#       the CPU at tiny sizes, in the current environment (the test suite runs it)
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BUNDLE="$REPO_ROOT/.gpu_bundle"
LIMIT_MIB=64
MMCV_VERSION=2.1.0
# Pinned as tools/setup_env.sh installs them; setuptools < 70 builds mmcv 2.1.0 and keeps
# pkg_resources, which mmengine 0.10 imports.
WHEELS=(mmengine==0.10.7 mmsegmentation==1.2.2 addict==2.4.0 yapf==0.43.0 platformdirs==4.14.9
        termcolor==3.3.0 prettytable==3.16.0 wcwidth==0.2.13 ftfy==6.3.1 setuptools==69.5.1)

log() { printf '[gpu_check] %s\n' "$*"; }

MODE=run OUT=""
while [[ $# -gt 0 ]]; do
    case "$1" in
        --prepare) MODE=prepare ;;
        --dry-run) MODE=dry-run ;;
        --out) OUT="$2"; shift ;;
        *) echo "gpu_check.sh: unknown argument $1 (expected --prepare, --dry-run, --out DIR)" >&2; exit 2 ;;
    esac
    shift
done

tree_mib() {  # what the device tool sends: the tracked and untracked, not ignored files
    (cd "$REPO_ROOT" && git ls-files -z --cached --others --exclude-standard |
        xargs -0 du -cb 2>/dev/null | tail -n 1 | cut -f1)
}

if [[ "$MODE" == prepare ]]; then
    # The project's environment: its setuptools reads mmcv's setup.py without build isolation.
    PY="${PYTHON:-${VIRTUAL_ENV:-$REPO_ROOT/.venv}/bin/python}"
    [[ -x "$PY" ]] || { bash "$REPO_ROOT/tools/setup_env.sh"; PY="${VIRTUAL_ENV:-$REPO_ROOT/.venv}/bin/python"; }
    mkdir -p "$BUNDLE/wheels" "$BUNDLE/src"
    log "downloading ${#WHEELS[@]} wheels for Python 3.12 into $BUNDLE/wheels"
    "$PY" -m pip download --quiet --no-deps --only-binary=:all: --python-version 3.12 \
        --implementation cp --platform manylinux2014_x86_64 --platform any \
        -d "$BUNDLE/wheels" "${WHEELS[@]}"
    if [[ ! -f "$BUNDLE/src/mmcv-$MMCV_VERSION.tar.gz" ]]; then
        log "downloading mmcv $MMCV_VERSION source"
        "$PY" -m pip download --quiet --no-deps --no-binary :all: --no-build-isolation \
            -d "$BUNDLE/src" "mmcv==$MMCV_VERSION"
    fi
    bundle=$(du -cb "$BUNDLE" | tail -n 1 | cut -f1)
    tree=$(tree_mib)
    total=$(( (bundle + tree) / 1048576 ))
    log "bundle $((bundle / 1048576)) MiB + tree $((tree / 1048576)) MiB = $total MiB (limit $LIMIT_MIB MiB)"
    if (( total >= LIMIT_MIB )); then
        log "too large for the GPU machine: remove files from the tree or the bundle"; exit 1
    fi
    log "ready: run 'bash tools/benchmark/gpu_check.sh --out \$OUT' there, carrying .gpu_bundle"
    exit 0
fi

[[ -n "$OUT" ]] || { echo "gpu_check.sh: --out DIR is required" >&2; exit 2; }
mkdir -p "$OUT"
export ANYSEG_COMMIT="${ANYSEG_COMMIT:-$(git -C "$REPO_ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)}"

if [[ "$MODE" == dry-run ]]; then
    PY="${PYTHON:-${VIRTUAL_ENV:-$REPO_ROOT/.venv}/bin/python}"
    exec "$PY" "$REPO_ROOT/tools/benchmark/gpu_check.py" --dry-run --out "$OUT"
fi

[[ -d "$BUNDLE/wheels" ]] || { log "no $BUNDLE: run --prepare first and carry .gpu_bundle"; exit 1; }
START=$SECONDS
BASE_PY="${PYTHON:-python3}"
VENV=/tmp/anyseg-gpu-venv
if [[ ! -x "$VENV/bin/python" ]]; then
    log "venv $VENV over the image's torch"
    # Without ensurepip (a distribution's python without its venv package): no pip inside;
    # the image's pip then installs into the venv with --python.
    "$BASE_PY" -m venv --system-site-packages "$VENV" 2>/dev/null ||
        { rm -rf "$VENV"; "$BASE_PY" -m venv --system-site-packages --without-pip "$VENV"; }
    # The image's python may itself be a venv, whose packages --system-site-packages does
    # not see: add its site-packages behind the new venv's own.
    "$BASE_PY" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])' \
        > "$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/image_site.pth"
fi
PY="$VENV/bin/python"
if "$PY" -m pip --version >/dev/null 2>&1; then PIP=("$PY" -m pip); else PIP=("$BASE_PY" -m pip --python "$PY"); fi
"$PY" -c "import torch" || { log "the image's torch is not importable from $VENV"; exit 1; }
log "installing the wheels offline"
"${PIP[@]}" install --quiet --no-index --no-deps --no-compile "$BUNDLE"/wheels/*.whl
if ! "$PY" -c "import mmcv.ops" 2>/dev/null; then
    SRC=$(mktemp -d)
    tar -xzf "$BUNDLE/src/mmcv-$MMCV_VERSION.tar.gz" -C "$SRC"
    TORCH_INCLUDE=$("$PY" -c 'import torch, os; print(os.path.dirname(torch.__file__))')/include
    if grep -q "C++20 or later" "$TORCH_INCLUDE/ATen/ATen.h" 2>/dev/null; then
        sed -i "s/'-std=c++17'\]/'-std=c++20']/" "$SRC/mmcv-$MMCV_VERSION/setup.py"
    fi
    # torch compiles in parallel only through the ninja binary; the image has it as a package.
    if ! command -v ninja >/dev/null; then
        NINJA_DIR=$("$PY" -c 'import ninja; print(ninja.BIN_DIR)' 2>/dev/null) && export PATH="$NINJA_DIR:$PATH"
    fi
    command -v ninja >/dev/null || log "no ninja: mmcv compiles one file at a time (slow)"
    log "building mmcv $MMCV_VERSION CPU ops with $(nproc) jobs (nothing here calls an mmcv CUDA kernel)"
    # CUDA hidden during the build: mmcv then compiles its CPU ops only, in a few minutes.
    (cd "$SRC/mmcv-$MMCV_VERSION" && CUDA_VISIBLE_DEVICES="" MMCV_WITH_OPS=1 MAX_JOBS="$(nproc)" \
        "${PIP[@]}" install --no-index --no-deps --no-build-isolation --no-compile . \
        > "$OUT/mmcv_build.log" 2>&1) || { tail -n 40 "$OUT/mmcv_build.log"; log "mmcv build failed"; exit 1; }
    "$PY" -c "import mmcv.ops" || { log "mmcv.ops fails to import after the build"; exit 1; }
fi
log "stack ready in $((SECONDS - START)) s; measuring"
cd "$REPO_ROOT"
PYTHONPATH="$REPO_ROOT${PYTHONPATH:+:$PYTHONPATH}" PYTHONUNBUFFERED=1 \
    "$PY" tools/benchmark/gpu_check.py --out "$OUT"
log "done in $((SECONDS - START)) s"
