"""Getting a journal back: encrypted backups and restore, the copies a restore or repair
leaves, salvage of a damaged journal, and the words of a manifest repair.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from journal_app.core.lazy import loader

if TYPE_CHECKING:
    from journal_app.core.recovery.backup import (
        KEYS_CURRENT,
        SUFFIX,
        BackupHeader,
        BackupPolicy,
        BackupRun,
        PreparedRestore,
        RestoreResult,
        backups_under_an_old_key,
        create_backup,
        delete_backups,
        describe_last_backup,
        last_backup,
        prepare_restore,
        read_header,
        record_backup,
        records_text,
        same_device,
        tidy,
        verify_backup,
    )
    from journal_app.core.recovery.copies import KeptCopy, kept_copies, remove_copy
    from journal_app.core.recovery.repair import describe_kinds
    from journal_app.core.recovery.salvage import (
        SalvageResult,
        check_target,
        looks_like_a_database,
        lost_lines,
    )

# Made by scripts/restructure.py: what the other layers use, and the module it is in.
# Loaded on first use (PEP 562): importing one inner module does not import them all.
_EXPORTS: dict[str, str] = {
    "BackupHeader": "backup",
    "BackupPolicy": "backup",
    "BackupRun": "backup",
    "KEYS_CURRENT": "backup",
    "KeptCopy": "copies",
    "PreparedRestore": "backup",
    "RestoreResult": "backup",
    "SUFFIX": "backup",
    "SalvageResult": "salvage",
    "backups_under_an_old_key": "backup",
    "check_target": "salvage",
    "create_backup": "backup",
    "delete_backups": "backup",
    "describe_kinds": "repair",
    "describe_last_backup": "backup",
    "kept_copies": "copies",
    "last_backup": "backup",
    "looks_like_a_database": "salvage",
    "lost_lines": "salvage",
    "prepare_restore": "backup",
    "read_header": "backup",
    "record_backup": "backup",
    "records_text": "backup",
    "remove_copy": "copies",
    "same_device": "backup",
    "tidy": "backup",
    "verify_backup": "backup",
}

__all__ = [
    "KEYS_CURRENT",
    "SUFFIX",
    "BackupHeader",
    "BackupPolicy",
    "BackupRun",
    "KeptCopy",
    "PreparedRestore",
    "RestoreResult",
    "SalvageResult",
    "backups_under_an_old_key",
    "check_target",
    "create_backup",
    "delete_backups",
    "describe_kinds",
    "describe_last_backup",
    "kept_copies",
    "last_backup",
    "looks_like_a_database",
    "lost_lines",
    "prepare_restore",
    "read_header",
    "record_backup",
    "records_text",
    "remove_copy",
    "same_device",
    "tidy",
    "verify_backup",
]


if not TYPE_CHECKING:
    __getattr__ = loader(__name__, _EXPORTS)
