#!/usr/bin/env bash
# Remove what install.sh put into a user's home.
#
#   uninstall.sh [--purge]
#
# Removes the program folder, the command symlink (only if it points at that folder), the menu
# entry and the icons. --purge also deletes the settings and the local answer cache; access
# tokens stay in the system keyring (remove them with the keyring's own tool).
set -euo pipefail

NAME=assist-desktop
PREFIX=${PREFIX:-$HOME/.local}
DATA_HOME=${XDG_DATA_HOME:-$HOME/.local/share}
CONFIG_HOME=${XDG_CONFIG_HOME:-$HOME/.config}

purge=false
case "${1:-}" in
    --purge) purge=true ;;
    "") ;;
    *) echo "usage: uninstall.sh [--purge]" >&2; exit 2 ;;
esac

opt=$PREFIX/opt/$NAME
bin=$PREFIX/bin/$NAME

if [[ -L $bin && $(readlink "$bin") == "$opt/"* ]]; then
    rm -f "$bin"
fi
rm -rf "$opt" "$opt.old"
rm -f "$DATA_HOME/applications/$NAME.desktop"
for icon in "$DATA_HOME"/icons/hicolor/*/apps/"$NAME".png "$DATA_HOME"/icons/hicolor/*/apps/"$NAME".svg; do
    [[ -e $icon ]] && rm -f "$icon"
done

if command -v update-desktop-database > /dev/null; then
    update-desktop-database -q "$DATA_HOME/applications" || true
fi
if command -v gtk-update-icon-cache > /dev/null; then
    gtk-update-icon-cache -q -t "$DATA_HOME/icons/hicolor" || true
fi

if $purge; then
    rm -rf "${DATA_HOME:?}/$NAME" "${CONFIG_HOME:?}/$NAME"
    echo "Removed $NAME, its settings and its answer cache"
else
    echo "Removed $NAME (settings in $CONFIG_HOME/$NAME and the cache in $DATA_HOME/$NAME are kept)"
fi
