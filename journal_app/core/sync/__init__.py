"""Sync: one journal on several computers, carried as ciphertext by the sync service the user
already has (docs/design.md, "One journal on several computers")."""

from __future__ import annotations

from typing import TYPE_CHECKING

from journal_app.core.lazy import loader

if TYPE_CHECKING:
    from journal_app.core.sync.clock import as_time
    from journal_app.core.sync.engine import (
        DEFAULT_PARAMS,
        FOLDER_KDF,
        DeviceInfo,
        Joined,
        Skipped,
        Status,
        SyncDamagedError,
        SyncError,
        SyncParams,
        SyncResult,
        default_name,
        join,
        leave,
        load_state,
        remove_device,
        setup,
        status,
        sync_now,
    )
    from journal_app.core.sync.folder import is_service_file
    from journal_app.core.sync.origins import kept_from

_EXPORTS: dict[str, str] = {name: "engine" for name in (
    "DEFAULT_PARAMS", "FOLDER_KDF", "DeviceInfo", "Joined", "Skipped", "Status",
    "SyncDamagedError", "SyncError", "SyncParams", "SyncResult", "join", "leave", "load_state",
    "remove_device", "setup", "status", "sync_now")}
_EXPORTS.update(kept_from="origins", as_time="clock", default_name="engine",
                is_service_file="folder")

__all__ = [
    "DEFAULT_PARAMS", "FOLDER_KDF", "DeviceInfo", "Joined", "Skipped", "Status",
    "SyncDamagedError", "SyncError", "SyncParams", "SyncResult", "as_time", "default_name",
    "is_service_file",
    "join", "kept_from", "leave", "load_state", "remove_device", "setup", "status", "sync_now",
]

if not TYPE_CHECKING:
    __getattr__ = loader(__name__, _EXPORTS)
