#!/bin/sh
# Install journal-app for this user (nothing outside your home folder changes, no root needed):
#   the app         ~/.local/lib/journal-app/          (a copy of this folder)
#   the command     ~/.local/bin/journal-app           (a link to it)
#   the menu entry  ~/.local/share/applications/org.journalapp.JournalApp.desktop
#   the icons       ~/.local/share/icons/hicolor/*/{apps,mimetypes}/
#   file types      ~/.local/share/mime/packages/journal-app.xml (share packages, mentor cards)
#   AppStream       ~/.local/share/metainfo/org.journalapp.JournalApp.metainfo.xml
# Run it again to update; ~/.local/lib/journal-app/uninstall.sh removes all of it. Your journal
# is not in any of these folders: installing, updating and uninstalling never touch it.
set -eu

here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
data=${XDG_DATA_HOME:-$HOME/.local/share}
case $data in /*) ;; *) data=$HOME/.local/share ;; esac
lib=$HOME/.local/lib/journal-app
bin=$HOME/.local/bin
app_id=org.journalapp.JournalApp

if [ ! -x "$here/journal-app" ] || [ ! -d "$here/share" ]; then
    echo "install.sh: run it from the unpacked journal-app folder (journal-app and share/ missing)" >&2
    exit 1
fi

# The app: copied next to the old one, then swapped in, so a failed copy leaves the old one.
mkdir -p "$HOME/.local/lib" "$bin"
if [ "$here" != "$lib" ]; then
    rm -rf "$lib.new"
    cp -R "$here" "$lib.new"
    rm -rf "$lib"
    mv "$lib.new" "$lib"
fi
ln -sf "$lib/journal-app" "$bin/journal-app"

# The menu entry starts the installed copy by its full path (~/.local/bin may not be on the
# desktop session's PATH).
mkdir -p "$data/applications"
sed -e "s|^Exec=journal-app |Exec=\"$lib/journal-app\" |" -e "s|^TryExec=.*|TryExec=$lib/journal-app|" \
    "$lib/share/applications/$app_id.desktop" > "$data/applications/$app_id.desktop"

# Icons (the app's and the two file types'), the file types and the AppStream data.
(cd "$lib/share" && find icons -type f) | while read -r icon; do
    mkdir -p "$data/$(dirname "$icon")"
    cp "$lib/share/$icon" "$data/$icon"
done
mkdir -p "$data/mime/packages" "$data/metainfo"
cp "$lib/share/mime/packages/journal-app.xml" "$data/mime/packages/journal-app.xml"
cp "$lib/share/metainfo/$app_id.metainfo.xml" "$data/metainfo/$app_id.metainfo.xml"

# The desktop's caches, where it has the tools (each is optional: the files above suffice after
# the next login).
if command -v update-mime-database >/dev/null 2>&1; then
    update-mime-database "$data/mime" >/dev/null 2>&1 || true
fi
if command -v update-desktop-database >/dev/null 2>&1; then
    update-desktop-database "$data/applications" >/dev/null 2>&1 || true
fi
if command -v gtk-update-icon-cache >/dev/null 2>&1 && [ -f "$data/icons/hicolor/index.theme" ]; then
    gtk-update-icon-cache -q -t -f "$data/icons/hicolor" >/dev/null 2>&1 || true
fi

echo "journal-app $("$lib/journal-app" --version | sed 's/^journal-app //') is installed:"
echo "  in the applications menu, and as $bin/journal-app"
case ":${PATH:-}:" in
    *":$bin:"*) ;;
    *) echo "  ($bin is not on your PATH: add it to use the command by name)" ;;
esac
echo "To remove it: $lib/uninstall.sh (your journal stays where it is)."
