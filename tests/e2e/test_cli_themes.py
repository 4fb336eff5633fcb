"""`journal-app prompt --theme`: a prompt on one theme, at the level asked for."""

from __future__ import annotations

from journal_app.core.practice.prompts import THEMES, load_library
from tests.e2e.conftest import E2EEnv, fails, ok, ok_json


def test_prompt_on_a_theme(vault_env: E2EEnv) -> None:
    out = ok_json(vault_env, "prompt", "--theme", "humour-hope", "--level", "advanced")
    assert "humour-hope" in out["themes"] and out["level"] == "advanced"
    prompt = load_library().prompt(out["id"])
    assert prompt.text == out["text"] and "humour-hope" in prompt.themes
    plain = ok(vault_env, "prompt", "--theme", "grief", "--level", "early")
    chosen = [p for p in load_library().prompts if p.text == plain.stdout.strip()]
    assert len(chosen) == 1 and "grief" in chosen[0].themes


def test_an_unknown_theme_names_the_themes(vault_env: E2EEnv) -> None:
    result = vault_env.run("prompt", "--theme", "hapiness")
    fails(result, 2, "themes")
    assert all(theme in result.stderr for theme in THEMES)
