"""Hypothesis strategies shared by the core tests."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from hypothesis import strategies as st

from journal_app.core.records.model import ENCOUNTER_TYPES, MAX_TAG, Emotion, Entry, normalise_label

#: Fixed offsets of whole minutes, as real time zones use.
offsets = st.integers(min_value=-(23 * 60 + 59), max_value=23 * 60 + 59).map(
    lambda m: timezone(timedelta(minutes=m))
)
#: Aware datetimes (the model refuses naive ones).
aware = st.builds(
    lambda dt, tz: dt.replace(tzinfo=tz),
    st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2200, 1, 1)),
    offsets,
)
#: Tag and emotion names that are valid after normalisation.
labels = st.text(min_size=1, max_size=30).filter(lambda t: 0 < len(normalise_label(t)) <= MAX_TAG)
emotions = st.builds(Emotion, labels, st.integers(1, 5))
hex_ids = st.text("0123456789abcdef", min_size=32, max_size=32)


@st.composite
def entries(draw: st.DrawFn) -> Entry:
    """Any valid entry: arbitrary unicode text, labels, ratings and aware datetimes."""
    return Entry(
        id=draw(hex_ids),
        created=draw(aware),
        updated=draw(aware),
        title=draw(st.text(max_size=80)),
        body=draw(st.text(max_size=400)),
        tags=draw(st.lists(labels, max_size=6)),
        starred=draw(st.booleans()),
        emotions=draw(st.lists(emotions, max_size=5)),
        mood=draw(st.none() | st.integers(-5, 5)),
        energy=draw(st.none() | st.integers(-5, 5)),
        stress=draw(st.none() | st.integers(0, 10)),
        encounter=draw(st.none() | st.sampled_from(ENCOUNTER_TYPES)),
        prompt_ids=draw(st.lists(st.text(max_size=20), max_size=4)),
        links=draw(st.lists(st.text(max_size=40), max_size=4)),
        trashed=draw(st.none() | aware),
    )


#: Any JSON value (small).
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=20,
)
