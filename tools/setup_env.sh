#!/usr/bin/env bash
# Install everything mmseg-anyseg needs into the active virtual environment,
# or into .venv in the repository root when none is active. Idempotent: a
# second run on a ready environment only checks and returns in seconds.
#
# The first run on a fresh machine takes 7 to 18 minutes on 2 cores (more where
# torch is downloaded):
# torch (a 5.5 GB wheel from local disk) and, mostly, building mmcv 2.1.0 with
# its C++ ops from source (mmsegmentation 1.2.2 imports mmcv.ops, and no
# prebuilt mmcv wheel matches torch 2.14). The built mmcv wheel is kept in
# .cache/wheels/<torch version>/, keyed by the torch it was compiled against,
# so a wheel built for another torch is never reused.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TORCH_VERSION="${ANYSEG_TORCH_VERSION:-2.14.1}"
TORCHVISION_VERSION="${ANYSEG_TORCHVISION_VERSION:-0.29.1}"
MMCV_VERSION="2.1.0"
MMENGINE_VERSION="0.10.7"
MMSEG_VERSION="1.2.2"
MMPRETRAIN_VERSION="1.2.0"

log() { printf '[setup_env] %s\n' "$*"; }

if [[ -n "${VIRTUAL_ENV:-}" ]]; then
    VENV="$VIRTUAL_ENV"
else
    VENV="$REPO_ROOT/.venv"
    if [[ ! -x "$VENV/bin/python" ]]; then
        log "creating virtual environment $VENV"
        python3 -m venv "$VENV"
    fi
fi
PY="$VENV/bin/python"
PIP=("$PY" -m pip --disable-pip-version-check)

have() { "$PY" - "$@" <<'PYEOF' >/dev/null 2>&1
import importlib.metadata as md, sys
for spec in sys.argv[1:]:
    name, _, version = spec.partition('==')
    if md.version(name) != (version or md.version(name)):  # no version: installed at all
        sys.exit(1)
PYEOF
}

if ! have "torch==$TORCH_VERSION" "torchvision==$TORCHVISION_VERSION"; then
    log "installing torch $TORCH_VERSION and torchvision $TORCHVISION_VERSION (large wheel, a few minutes)"
    "${PIP[@]}" install "torch==$TORCH_VERSION" "torchvision==$TORCHVISION_VERSION"
fi

# Pinned to the 2023-era OpenMMLab stack: numpy 1.x and an opencv that accepts it.
BASE_DEPS=("numpy<2" "opencv-python<4.12" "setuptools<70" wheel ninja ftfy regex
           "mmengine==$MMENGINE_VERSION")
if ! have "mmengine==$MMENGINE_VERSION" || ! "$PY" -c "import numpy, cv2, ninja, ftfy, regex; assert numpy.__version__ < '2'" >/dev/null 2>&1; then
    log "installing build tools and mmengine $MMENGINE_VERSION"
    "${PIP[@]}" install "${BASE_DEPS[@]}"
fi

mmcv_ready() {
    have "mmcv==$MMCV_VERSION" &&
    [[ "$(cat "$VENV/.mmcv-built-for-torch" 2>/dev/null)" == "$TORCH_VERSION" ]] &&
    "$PY" -c "import mmcv.ops" >/dev/null 2>&1
}
if ! mmcv_ready; then
    WHEEL_DIR="$REPO_ROOT/.cache/wheels/torch-$TORCH_VERSION-$("$PY" -c 'import sys; print(f"cp{sys.version_info[0]}{sys.version_info[1]}")')"
    mkdir -p "$WHEEL_DIR"
    if ! ls "$WHEEL_DIR"/mmcv-"$MMCV_VERSION"-*.whl >/dev/null 2>&1; then
        log "building mmcv $MMCV_VERSION with ops against torch $TORCH_VERSION (5-8 minutes on 2 cores)"
        SRC_DIR="$(mktemp -d)"
        "${PIP[@]}" download --no-deps --no-binary :all: --no-cache-dir -d "$SRC_DIR" "mmcv==$MMCV_VERSION"
        tar -xzf "$SRC_DIR"/mmcv-"$MMCV_VERSION".tar.gz -C "$SRC_DIR"
        # mmcv 2.1.0 compiles its ops as C++17; torch >= 2.10 headers require C++20.
        if grep -q "C++20 or later" "$("$PY" -c 'import torch, os; print(os.path.dirname(torch.__file__))')/include/ATen/ATen.h"; then
            sed -i "s/'-std=c++17'\]/'-std=c++20']/" "$SRC_DIR/mmcv-$MMCV_VERSION/setup.py"
        fi
        (cd "$SRC_DIR/mmcv-$MMCV_VERSION" &&
         MMCV_WITH_OPS=1 MAX_JOBS="${MAX_JOBS:-$(nproc)}" "${PIP[@]}" wheel --no-build-isolation \
             --no-deps --no-cache-dir -w "$WHEEL_DIR" .)
        rm -rf "$SRC_DIR"
    fi
    log "installing mmcv from $WHEEL_DIR"
    "${PIP[@]}" install --no-cache-dir --force-reinstall --no-deps "$WHEEL_DIR"/mmcv-"$MMCV_VERSION"-*.whl
    "${PIP[@]}" install "addict" "yapf" "packaging" "Pillow" "pyyaml" "numpy<2" "opencv-python<4.12"
    echo "$TORCH_VERSION" > "$VENV/.mmcv-built-for-torch"
    "$PY" -c "import mmcv.ops" || { log "mmcv.ops fails to import after the build"; exit 1; }
fi

if ! have "mmsegmentation==$MMSEG_VERSION" "mmpretrain==$MMPRETRAIN_VERSION" onnx onnxruntime h5py hdf5plugin hypothesis \
        gradio playwright ||
   ! "$PY" -c "import mmseg_anyseg" >/dev/null 2>&1 ||
   [[ "$REPO_ROOT/setup.py" -nt "$VENV/.anyseg-installed" ]]; then
    log "installing mmsegmentation $MMSEG_VERSION, mmpretrain $MMPRETRAIN_VERSION and mmseg-anyseg (editable, with onnx, onnxruntime, h5py, hdf5plugin and the demo's gradio and playwright)"
    "${PIP[@]}" install "mmsegmentation==$MMSEG_VERSION" "mmpretrain==$MMPRETRAIN_VERSION" "setuptools<81" \
        "numpy<2" "opencv-python<4.12"
    "${PIP[@]}" install --no-build-isolation -e "$REPO_ROOT[tests,mmpretrain,deploy,muses,demo]" \
        "numpy<2" "opencv-python<4.12"
    touch "$VENV/.anyseg-installed"
fi

log "environment ready: $VENV"
