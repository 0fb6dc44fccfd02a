#!/usr/bin/env bash
# Install the built Assist Desktop into a user's home; no root, no package manager.
#
#   install.sh [SOURCE]
#
# SOURCE is the built folder (dist/assist-desktop) or a .tar.gz of it. Without it, the folder
# this script sits in is used when it holds the program (the script ships inside the folder and
# the tarball), else dist/assist-desktop of the checkout.
#
# Where things go (PREFIX defaults to ~/.local, the XDG directories to their defaults):
#   $PREFIX/opt/assist-desktop/              the program folder, replaced as a whole on update
#   $PREFIX/bin/assist-desktop               a symlink to the program, for the command line
#   $XDG_DATA_HOME/applications/assist-desktop.desktop
#   $XDG_DATA_HOME/icons/hicolor/*/apps/assist-desktop.{png,svg}
# uninstall.sh removes exactly these; settings and the answer cache are left alone.
set -euo pipefail

NAME=assist-desktop
PREFIX=${PREFIX:-$HOME/.local}
DATA_HOME=${XDG_DATA_HOME:-$HOME/.local/share}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

die() { echo "install.sh: $*" >&2; exit 1; }

source_arg=${1:-}
if [[ -z $source_arg ]]; then
    if [[ -x $HERE/$NAME && -d $HERE/_internal ]]; then
        source_arg=$HERE
    else
        source_arg=$HERE/../../dist/$NAME
    fi
fi

staging=$(mktemp -d)
trap 'rm -rf "$staging"' EXIT

if [[ -f $source_arg && $source_arg == *.tar.gz ]]; then
    tar -xzf "$source_arg" -C "$staging"
    folder=$(find "$staging" -mindepth 1 -maxdepth 2 -type f -name "$NAME" -perm -u+x -printf '%h\n' | head -n 1)
    [[ -n $folder ]] || die "$source_arg holds no $NAME program"
elif [[ -d $source_arg ]]; then
    folder=$(cd "$source_arg" && pwd)
else
    die "no built program at $source_arg (run packaging/build.sh first, or pass the folder or .tar.gz)"
fi
[[ -x $folder/$NAME ]] || die "$folder/$NAME is missing or not executable"

opt=$PREFIX/opt/$NAME
bin=$PREFIX/bin/$NAME
mkdir -p "$PREFIX/opt" "$PREFIX/bin" "$DATA_HOME/applications"

# Copy next to the target, then swap: a running copy keeps its files, a failed copy changes nothing.
next=$PREFIX/opt/.$NAME.new.$$
rm -rf "$next"
cp -a "$folder" "$next"
if [[ -e $opt ]]; then
    rm -rf "$opt.old"
    mv "$opt" "$opt.old"
fi
mv "$next" "$opt"
rm -rf "$opt.old"

ln -sfn "$opt/$NAME" "$bin"

# The menu entry names the program by its full path: ~/.local/bin is not on every session's PATH.
desktop_file=$DATA_HOME/applications/$NAME.desktop
template=$opt/share/applications/$NAME.desktop
[[ -f $template ]] || template=$HERE/$NAME.desktop
[[ -f $template ]] || die "no $NAME.desktop next to the program or this script"
sed -e "s|^Exec=$NAME|Exec=$opt/$NAME|" -e "s|^TryExec=$NAME|TryExec=$opt/$NAME|" \
    "$template" > "$desktop_file"
chmod 0644 "$desktop_file"

icons=$opt/share/icons/hicolor
if [[ -d $icons ]]; then
    for icon in "$icons"/*/apps/"$NAME".*; do
        [[ -e $icon ]] || continue
        size=$(basename "$(dirname "$(dirname "$icon")")")
        mkdir -p "$DATA_HOME/icons/hicolor/$size/apps"
        cp "$icon" "$DATA_HOME/icons/hicolor/$size/apps/"
    done
fi

# Refresh the caches where the tools exist; menus pick the entry up without them too, later.
if command -v update-desktop-database > /dev/null; then
    update-desktop-database -q "$DATA_HOME/applications" || true
fi
if command -v gtk-update-icon-cache > /dev/null; then
    gtk-update-icon-cache -q -t "$DATA_HOME/icons/hicolor" || true
fi

version=$("$opt/$NAME" --version 2> /dev/null || echo "$NAME")
echo "Installed $version into $opt"
echo "  command: $bin"
case ":$PATH:" in
    *":$PREFIX/bin:"*) ;;
    *) echo "  note: $PREFIX/bin is not on your PATH; the menu entry works regardless" ;;
esac
