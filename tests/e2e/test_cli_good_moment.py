"""`journal-app checkin --good-moment` (issue 14): kept on the check-in, and Three Good Things
suggested, not started."""

from __future__ import annotations

from journal_app.core.practice.prompts import load_library
from journal_app.core.vault.journal import Journal
from tests.e2e.conftest import PASSPHRASE, E2EEnv, ok, ok_json


def test_a_good_moment_is_stored_and_three_good_things_suggested(vault_env: E2EEnv) -> None:
    result = ok(vault_env, "checkin", "--mood", "3", "--good-moment")
    assert load_library().templates["three-good-things"].title in result.stderr
    with Journal.open(vault_env.data_dir) as journal:
        journal.unlock(PASSPHRASE)
        (stored,) = journal.checkins()
    assert stored.good_moment is True and stored.mood == 3 and stored.encounter is None


def test_without_the_flag_nothing_good_is_claimed(vault_env: E2EEnv) -> None:
    out = ok_json(vault_env, "checkin", "--stress", "4")
    assert out["good_moment"] is False
    assert ok_json(vault_env, "checkin", "--good-moment")["good_moment"] is True


def test_a_difficult_encounter_is_offered_first(vault_env: E2EEnv) -> None:
    result = ok(vault_env, "checkin", "--encounter", "code", "--good-moment")
    library = load_library()
    assert library.templates["code"].title in result.stderr
    assert library.templates["three-good-things"].title not in result.stderr
