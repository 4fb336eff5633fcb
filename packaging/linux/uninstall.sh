#!/bin/sh
# Remove what install.sh put in ~/.local. Your journal (its data folder) is never touched: it
# stays where it is, to be opened again by any later journal-app.
set -eu

data=${XDG_DATA_HOME:-$HOME/.local/share}
case $data in /*) ;; *) data=$HOME/.local/share ;; esac
lib=$HOME/.local/lib/journal-app
bin=$HOME/.local/bin
app_id=org.journalapp.JournalApp

if [ -L "$bin/journal-app" ] && [ "$(readlink "$bin/journal-app")" = "$lib/journal-app" ]; then
    rm -f "$bin/journal-app"
fi
rm -f "$data/applications/$app_id.desktop" "$data/mime/packages/journal-app.xml" \
      "$data/metainfo/$app_id.metainfo.xml"
for folder in "$data"/icons/hicolor/*/apps "$data"/icons/hicolor/*/mimetypes; do
    [ -d "$folder" ] || continue
    rm -f "$folder/journal-app.png" "$folder/journal-app.svg" \
          "$folder/application-x-journal-app-share-package.png" \
          "$folder/application-x-journal-app-share-package.svg" \
          "$folder/application-x-journal-app-mentor-card.png" \
          "$folder/application-x-journal-app-mentor-card.svg"
done
if command -v update-mime-database >/dev/null 2>&1 && [ -d "$data/mime" ]; then
    update-mime-database "$data/mime" >/dev/null 2>&1 || true
fi
if command -v update-desktop-database >/dev/null 2>&1 && [ -d "$data/applications" ]; then
    update-desktop-database "$data/applications" >/dev/null 2>&1 || true
fi
rm -rf "$lib"
echo "journal-app is uninstalled. Your journal was not touched."
