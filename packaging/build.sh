#!/usr/bin/env bash
# Build Assist Desktop as a one-folder program: dist/assist-desktop/assist-desktop.
#
#   packaging/build.sh [--fresh-venv] [--venv DIR] [--no-tar]
#
# Python environment, first that applies:
#   --venv DIR       use DIR (created if missing) and install the project with the packaging extra
#   --fresh-venv     a throwaway build/venv, made anew: what a release build should use
#   .venv            the project's virtualenv when it already has PyInstaller
#   otherwise        build/venv, as with --fresh-venv
#
# On Linux the folder also gets the menu entry, the icons and install.sh/uninstall.sh, and is
# packed into dist/assist-desktop-<version>-linux-<arch>.tar.gz. On macOS the spec makes
# "dist/Assist Desktop.app" and this script a .dmg of it (see packaging/README.md).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
NAME=assist-desktop
cd "$ROOT"

venv=""
fresh=false
tarball=true
while [[ $# -gt 0 ]]; do
    case $1 in
        --venv) venv=$2; shift 2 ;;
        --fresh-venv) fresh=true; shift ;;
        --no-tar) tarball=false; shift ;;
        -h | --help) sed -n '2,16p' "$0"; exit 0 ;;
        *) echo "build.sh: unknown option $1" >&2; exit 2 ;;
    esac
done

started=$(date +%s)
if [[ -z $venv ]]; then
    if ! $fresh && [[ -x .venv/bin/pyinstaller ]]; then
        venv=.venv
    else
        venv=build/venv
        rm -rf "$venv"
    fi
fi
if [[ ! -x $venv/bin/python ]]; then
    echo "== creating the build environment in $venv"
    "${PYTHON:-python3}" -m venv "$venv"
fi
PY=$venv/bin/python
if ! "$PY" -c "import PyInstaller, importlib.metadata as m; m.version('$NAME')" 2> /dev/null; then
    echo "== installing the project with the packaging extra into $venv"
    "$PY" -m pip install --quiet --upgrade pip
    "$PY" -m pip install --quiet ".[packaging]"
fi
version=$("$PY" -c "import tomllib; print(tomllib.load(open('pyproject.toml', 'rb'))['project']['version'])")

echo "== PyInstaller: $NAME $version"
rm -rf "dist/$NAME" build/pyinstaller
"$PY" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath dist --workpath build/pyinstaller packaging/$NAME.spec

out=dist/$NAME
[[ -x $out/$NAME || -x $out/$NAME.exe ]] || { echo "build.sh: no executable in $out" >&2; exit 1; }

case $(uname -s) in
    Linux)
        mkdir -p "$out/share/applications" "$out/share/icons"
        cp packaging/linux/$NAME.desktop "$out/share/applications/"
        cp -r build/icons/hicolor "$out/share/icons/"
        cp packaging/linux/install.sh packaging/linux/uninstall.sh "$out/"
        if command -v desktop-file-validate > /dev/null; then
            desktop-file-validate "$out/share/applications/$NAME.desktop"
        fi
        if $tarball; then
            archive=dist/$NAME-$version-linux-$(uname -m).tar.gz
            tar -C dist -czf "$archive" "$NAME"
            echo "== archive: $archive ($(du -h "$archive" | cut -f1))"
        fi
        ;;
    Darwin)
        if $tarball && command -v hdiutil > /dev/null; then
            dmg=dist/$NAME-$version-macos-$(uname -m).dmg
            rm -f "$dmg"
            hdiutil create -volname "Assist Desktop" -srcfolder "dist/Assist Desktop.app" \
                -ov -format UDZO "$dmg"
            echo "== disk image: $dmg"
        fi
        ;;
esac

echo "== built $out: $(du -sh "$out" | cut -f1) in $(($(date +%s) - started)) s"
