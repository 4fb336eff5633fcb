"""A journal made by `journal-app init` has no training stage: its prompts are the early
level's until one is set (issue 14), in the CLI as in the app."""

from __future__ import annotations

from tests.e2e.conftest import E2EEnv, ok_json


def test_prompt_on_a_journal_without_a_stage_is_an_early_one(vault_env: E2EEnv) -> None:
    assert ok_json(vault_env, "prompt")["level"] == "early"
    assert ok_json(vault_env, "prompt", "--encounter", "code")["level"] == "early"
    assert ok_json(vault_env, "prompt", "--level", "advanced")["level"] == "advanced"
