"""Check-ins and what they add up to: checkin, checkins, trends, prompt.

``checkin`` asks for what is missing when there is a terminal (every question can be skipped);
``checkins`` lists them with their notes; ``prompt`` prints the same prompt of the day as the app.
"""

from __future__ import annotations

import argparse
from typing import Any

from journal_app.cli.base import (
    Add,
    check_emotions,
    checkin_json,
    checkin_line,
    invalid,
    keep_own_emotions,
    later,
    open_journal,
    parse_day,
    parse_when,
)
from journal_app.cli.base import emotions as parse_emotions
from journal_app.cli.io import EXIT_OK, PROG, ask, print_json, say, yes_no
from journal_app.cli.io import interactive as is_interactive
from journal_app.core.errors import UsageError, ValidationError


def _ask_number(question: str, lo: float, hi: float, whole: bool = True) -> float | None:
    """Ask on the terminal until the answer is empty (skipped) or a number in range."""
    while True:
        text = ask(f"{question} [{lo:g}..{hi:g}, Enter to skip]: ").strip()
        if not text:
            return None
        try:
            value = int(text) if whole else float(text)
        except ValueError:
            print("Please type a number, or press Enter to skip.")
            continue
        if lo <= value <= hi:
            return value
        print(f"Please type a number from {lo:g} to {hi:g}.")


def _yes(answer: str) -> bool:
    """A check-in's answer: "y", "yes", "yeah" all mean yes."""
    return answer.strip().lower().startswith("y")


def cmd_checkin(args: argparse.Namespace) -> int:
    from journal_app.core.records import ENCOUNTER_TYPES, SKIPPED_CHECKIN, CheckIn

    interactive = is_interactive() and None in (
        args.mood, args.energy, args.stress, args.burnout
    )
    mood, energy, stress, burnout = args.mood, args.energy, args.stress, args.burnout
    emotions = parse_emotions(args.emotion or [])
    own = parse_emotions(args.own_emotion or [])
    typed: list[Any] = []  # emotions typed at the question below: asked about, not refused
    sleep, encounter, good_moment = args.sleep, args.encounter, bool(args.good_moment)
    if interactive:
        from journal_app.core.practice import load_library

        library = load_library()
        print("A 30-second check-in. Press Enter to skip any question.")
        if mood is None:
            mood = _ask_number("Mood, from very low (-5) to very good (+5)", -5, 5)
        if energy is None:
            energy = _ask_number("Energy, from drained (-5) to full (+5)", -5, 5)
        if stress is None:
            stress = _ask_number("Stress, from none (0) to the most you can imagine (10)", 0, 10)
        if burnout is None:
            print(library.burnout_question)
            for level in library.burnout:
                print(f"  {level.id}  {level.label}")
            burnout = _ask_number("Your rating", 1, 5)
        if not emotions:
            text = ask("Emotions (names, optionally name:1-5, separated by commas): ").strip()
            typed = emotions = parse_emotions([t.strip() for t in text.split(",") if t.strip()])
        if sleep is None:
            sleep = _ask_number("Hours of sleep last night", 0, 24, whole=False)
        if encounter is None and _yes(ask("Did something difficult happen? [y/N]: ")):
            print("  " + "  ".join(ENCOUNTER_TYPES))
            choice = ask("Which kind (one of the above, Enter for 'other'): ").strip()
            encounter = choice if choice in ENCOUNTER_TYPES else "other"
        if not good_moment:
            good_moment = _yes(ask("Did something good happen? [y/N]: "))
        if not args.note:
            args.note = ask("A line about it, if you like (Enter to skip): ").strip()
    fields: dict[str, Any] = {
        "mood": mood, "energy": energy, "stress": stress, "burnout": burnout,
        "emotions": emotions, "sleep_hours": float(sleep) if sleep is not None else None,
        "encounter": encounter, "good_moment": good_moment, "note": args.note or "",
    }
    if args.date:
        fields["created"] = parse_when(args.date)
    fields["emotions"] = [*emotions, *own]
    try:
        checkin = CheckIn(**fields)
    except ValueError as exc:
        raise invalid(exc) from None
    if checkin.skipped:  # said before the passphrase is asked for, not after
        raise ValidationError(SKIPPED_CHECKIN)
    with open_journal(args) as journal:
        if typed:
            checkin, kept = _ask_about_own_words(journal, checkin, typed)
            own = [*own, *kept]
            if checkin.skipped:
                raise ValidationError(SKIPPED_CHECKIN)
        check_emotions(journal, [e.name for e in emotions if e not in typed])
        journal.add_record(checkin)
        keep_own_emotions(journal, own)
    _offer_support(checkin.note)
    if args.json:
        print_json(checkin_json(checkin))
    else:
        print(checkin.id)
        if checkin.encounter:
            from journal_app.core.practice import load_library

            template = load_library().template_for(checkin.encounter)
            say(f"When you are ready, a guided reflection may help: {template.title}.")
        elif checkin.good_moment:
            from journal_app.core.practice import GOOD_MOMENT_TEMPLATE, load_library

            template = load_library().templates[GOOD_MOMENT_TEMPLATE]
            say(f"Something good happened. If you like, hold on to it: {template.title}.")
    return EXIT_OK


def _ask_about_own_words(journal: Any, checkin: Any,
                         typed: list[Any]) -> tuple[Any, list[Any]]:
    """Ask once about each emotion typed at the terminal that is neither listed nor one's own:
    kept as one's own word ("y"), or left out. Returns the check-in and the words kept."""
    from dataclasses import replace

    from journal_app.core.practice import suggestion_for, unknown_emotions

    unknown = set(unknown_emotions([e.name for e in typed], journal.own_emotions()))
    kept, dropped = [], set()
    for emotion in typed:
        if emotion.name not in unknown:
            continue
        meant = suggestion_for(emotion.name)
        hint = f" (did you mean {meant}?)" if meant else ""
        if yes_no(f"'{emotion.name}' is not one of the listed emotions{hint}. Keep it as your "
                  "own word? [y/N]: "):
            kept.append(emotion)
        else:
            dropped.add(emotion.name)
            say(f"Left out '{emotion.name}'.")
    emotions = tuple(e for e in checkin.emotions if e.name not in dropped)
    return replace(checkin, emotions=emotions), kept


def _offer_support(note: str) -> None:
    """A note that speaks of wanting to die or of harming oneself gets the same calm line as an
    entry (nothing about it is kept)."""
    if not note:
        return  # no note, nothing to read: the support module is not even loaded
    from journal_app.core.practice import crisis_sentence, system_country, text_is_severe

    if text_is_severe(note):
        say(crisis_sentence(system_country()) + f" '{PROG} support' lists the lines.")


def cmd_checkins(args: argparse.Namespace) -> int:
    if args.limit is not None and args.limit < 1:
        raise UsageError("--limit takes a number of at least 1.")
    with open_journal(args) as journal:
        checkins = journal.checkins()
    limit = args.limit if args.limit is not None else (None if args.json else 20)
    shown = checkins if limit is None else checkins[:limit]
    if args.json:
        print_json([checkin_json(c) for c in shown])
    else:
        for checkin in shown:
            print(checkin_line(checkin))
        if not checkins:
            say("No check-ins yet.")
    return EXIT_OK


def cmd_prompt(args: argparse.Namespace) -> int:
    from journal_app.core.practice import (
        LEVELS,
        THEMES,
        choose_prompt,
        library_with_custom,
        load_library,
        recent_use,
        todays_prompt_for,
    )
    from journal_app.core.records import now

    if args.level is not None and args.level not in LEVELS:
        raise UsageError(f"Levels are: {', '.join(LEVELS)}.")
    if args.theme is not None and args.theme not in THEMES:
        raise UsageError(f"Themes are: {', '.join(THEMES)}.")
    library = load_library()
    today = now().date()
    with open_journal(args) as journal:
        library = library_with_custom(library, journal)  # the user's own prompts too
        if args.encounter is None and args.level is None and args.theme is None:
            prompt = todays_prompt_for(journal, library, today)  # the same as the app's
        else:
            state = journal.app_state()
            import random

            answered, facet_use = recent_use(library, journal.entries())
            prompt = choose_prompt(
                library, encounter=args.encounter, level=args.level or state.level,
                theme=args.theme, recent=[*state.shown_prompts, *answered], facet_use=facet_use,
                rng=random.Random(today.toordinal()),
            )
    if args.json:
        print_json({"id": prompt.id, "text": prompt.text, "facet": prompt.facet,
                     "level": prompt.level, "themes": list(prompt.themes),
                     **({"source": prompt.source} if prompt.source else {})})
    else:
        print(prompt.text)
        source = f"; from {prompt.source}" if prompt.source else ""
        say(f"({prompt.facet}, {prompt.level}; id {prompt.id}{source})")
    return EXIT_OK


def cmd_trends(args: argparse.Namespace) -> int:
    from journal_app.core.practice.journal_trends import journal_trends

    start = parse_day(args.date_from) if args.date_from else None
    end = parse_day(args.date_to) if args.date_to else None
    if start and end and start > end:
        raise UsageError("--from must not be after --to.")
    with open_journal(args) as journal:
        trends = journal_trends(journal, start, end)
    figures = trends.figures
    show_streaks = trends.show_streaks
    if args.json:
        print_json(figures)
    else:
        for line in _trends_text(figures, show_streaks):
            print(line)
        say("Use --json for every figure.")
    return EXIT_OK


def _trends_text(figures: dict[str, Any], show_streaks: bool = False) -> list[str]:
    """A short plain summary of the figures (``--json`` has all of them); streaks only when
    the user turned them on in the app's Settings."""
    from journal_app.core.practice import SERIES_FIELDS
    from journal_app.core.vocabulary import encounter_words, plural, rating_label

    rng = figures["range"]
    lines = [f"Trends from {rng['from'] or 'the first record'} to {rng['to'] or 'today'}."]
    for name in SERIES_FIELDS:
        points = figures["series"][name]
        if points:
            mean = sum(p["value"] for p in points) / len(points)
            lines.append(f"  {rating_label(name, ascii_minus=True)}: averaged {mean:.1f} over "
                         f"{plural(len(points), 'day')}.")
    if show_streaks:
        st = figures["streaks"]
        lines.append(f"  Check-in streak: {plural(st['checkin']['current'], 'day')} now, "
                     f"longest {plural(st['checkin']['longest'], 'day')}; writing streak: "
                     f"{plural(st['writing']['current'], 'day')} now, longest "
                     f"{plural(st['writing']['longest'], 'day')}.")
    words = figures["words"]
    lines.append(f"  {plural(words['total'], 'word')} in "
                 f"{plural(words['entries'], 'entry', 'entries')}.")
    enc = figures["encounters"]
    if enc["total"]:
        lines.append(f"  Difficult encounters: {enc['total']:,} ("
                     + ", ".join(f"{encounter_words(k)} {v}" for k, v in enc["counts"].items())
                     + ").")
    facets = figures["facets"]
    lines.append(f"  Competency-4 facets reflected on: {facets['covered']} of {facets['of']}.")
    return lines


def cmd_emotions(args: argparse.Namespace) -> int:
    """List the emotion words outside the vocabulary, or tidy one (see docs/design.md)."""
    from journal_app.core.content import emotion_words
    from journal_app.core.practice import words_outside_vocabulary
    from journal_app.core.records import normalise_label

    if args.known:
        known = emotion_words()
        if args.json:
            print_json(known)
        else:
            print("\n".join(known))
        return EXIT_OK
    chosen = [a for a in ("rename", "remove", "keep") if getattr(args, a)]
    if len(chosen) > 1:
        raise UsageError("Give one of --rename, --remove and --keep at a time.")
    with open_journal(args) as journal:
        words = {w.name: w for w in words_outside_vocabulary(journal)}
        if chosen:
            old = normalise_label(args.rename[0] if args.rename else args.remove or args.keep)
            if old not in words:
                raise UsageError(f"No entry or check-in names '{old}' outside the listed "
                                 f"emotions ('{PROG} emotions' lists them).")
            if args.keep:
                journal.add_own_emotions([old])
                print(f"Kept '{old}' as your own word.")
                return EXIT_OK
            new = normalise_label(args.rename[1]) if args.rename else None
            if (new is not None and new not in emotion_words()
                    and not (new in words and words[new].own)):
                raise UsageError(f"'{new}' is not one of the listed emotions or your own "
                                 "words; nothing was changed.")
            count = journal.replace_emotion(old, new)
            done = f"Named it '{new}'" if new else "Removed it"
            print(f"{done} in {count} record{'s' if count != 1 else ''} (each earlier "
                  "version is kept).")
            return EXIT_OK
    items = list(words.values())
    if args.json:
        print_json([{"name": w.name, "entries": w.entries, "checkins": w.checkins,
                     "own": w.own, "suggestion": w.suggestion} for w in items])
    else:
        for w in items:
            kind = "your own word" if w.own else (
                f"not listed; maybe {w.suggestion}" if w.suggestion else "not listed")
            print(f"{w.name}  ({w.entries} entries, {w.checkins} check-ins; {kind})")
        if not items:
            say("Every emotion in your journal is one of the listed emotions.")
    return EXIT_OK


def register(add: Add) -> None:
    # The encounter types are the model's: its arguments are added when a command is used.
    later(add("checkin", cmd_checkin,
              "a 30-second check-in (asks for what is missing on a terminal)"),
          _checkin_arguments)
    p = add("checkins", cmd_checkins, "list check-ins, newest first, with their notes")
    p.add_argument("--limit", type=int)
    p = add("emotions", cmd_emotions, "list the emotion words outside the listed emotions "
            "(your own, and slips), or tidy one")
    p.add_argument("--known", action="store_true", help="print the listed emotions")
    p.add_argument("--rename", nargs=2, metavar=("OLD", "NEW"),
                   help="name OLD NEW in every entry and check-in (earlier versions kept)")
    p.add_argument("--remove", metavar="WORD", help="remove WORD from every entry and check-in")
    p.add_argument("--keep", metavar="WORD", help="keep WORD as your own word")
    p = add("trends", cmd_trends, "print the figures of your trends (--json: all of them)")
    p.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD")
    later(add("prompt", cmd_prompt, "print today's reflection prompt"), _prompt_arguments)


def _checkin_arguments(p: argparse.ArgumentParser) -> None:
    from journal_app.core.records import ENCOUNTER_TYPES

    p.add_argument("--mood", type=int, metavar="-5..5")
    p.add_argument("--energy", type=int, metavar="-5..5")
    p.add_argument("--stress", type=int, metavar="0..10")
    p.add_argument("--burnout", type=int, metavar="1..5")
    p.add_argument("--emotion", action="append", metavar="NAME[:1-5]",
                   help="repeatable; a listed emotion or one of your own words")
    p.add_argument("--own-emotion", action="append", metavar="NAME[:1-5]",
                   help="repeatable; a word of your own, kept as such from then on")
    p.add_argument("--sleep", type=float, metavar="HOURS")
    p.add_argument("--encounter", choices=ENCOUNTER_TYPES)
    p.add_argument("--good-moment", action="store_true",
                   help="something good happened (Three Good Things is suggested)")
    p.add_argument("--note", metavar="TEXT", help="a line about it (kept encrypted)")
    p.add_argument("--date", metavar="ISO")


def _prompt_arguments(p: argparse.ArgumentParser) -> None:
    from journal_app.core.records import ENCOUNTER_TYPES

    p.add_argument("--encounter", choices=ENCOUNTER_TYPES)
    p.add_argument("--level", metavar="early|clerkship|advanced")
    p.add_argument("--theme", metavar="THEME",
                   help="a prompt on one theme: grief, moral-injury, identity, spirituality, "
                        "cultural-humility, team-debrief, compassion-satisfaction, humour-hope")
