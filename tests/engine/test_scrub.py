"""The one scrubber every emitted string passes through (issue 17, point 2)."""

from __future__ import annotations

import random

import pytest

from db_migrate.engine.scrub import MASK, MIN_RUN, Scrubber
from tests.secret_shapes import CANARY, generated_shapes, leaked


def test_every_run_of_four_or_more_characters_of_a_secret_is_masked() -> None:
    scrub = Scrubber(["p@QZLKat"])
    assert scrub("cannot resolve database host QZLKat@127.0.0.1") == \
        f"cannot resolve database host {MASK}@127.0.0.1"
    assert scrub('invalid value for parameter "x": "QZLK"') == f'invalid value for parameter "x": "{MASK}"'
    assert scrub("QZL alone is shorter than the run") == "QZL alone is shorter than the run"


def test_matching_ignores_case_as_a_server_may_fold_names() -> None:
    assert Scrubber(["MixedCaseNAME"])('role "mixedcasename" does not exist') == \
        f'role "{MASK}" does not exist'


def test_a_short_secret_is_masked_only_as_a_whole_token() -> None:
    scrub = Scrubber(["pw1"])
    assert scrub("password pw1 refused; pw12 is another word") == \
        f"password {MASK} refused; pw12 is another word"


def test_the_url_scheme_is_not_a_secret() -> None:
    scrub = Scrubber(["postgresql://app:Zx8vq@db/app"])
    assert scrub("postgres: 1 applied") == "postgres: 1 applied"
    assert MASK in scrub("password Zx8vq")


def test_public_words_stay_readable() -> None:
    # The set's own name, written by the resource's author, says nothing about the secret.
    scrub = Scrubber(["orders-secret-pw"], keep=["orders"])
    assert scrub("orders: 1 applied") == "orders: 1 applied"
    assert scrub("password orders-secret-pw") == f"password {MASK}"


def test_values_reach_a_parent_scrubber() -> None:
    parent = Scrubber()
    Scrubber(["HiddenValue"], parent=parent)
    assert parent("log: HiddenValue") == f"log: {MASK}"


@pytest.mark.parametrize("seed", range(5))
def test_no_generated_shape_leaks_through_the_scrubber(seed: int) -> None:
    rng = random.Random(seed)
    for shape in generated_shapes(rng, 40):
        scrub = Scrubber([shape])
        # A message quoting any piece of the shape (past the public scheme), in any case.
        body = shape.split("://", 1)[-1]
        start = rng.randrange(0, max(1, len(body) - MIN_RUN))
        piece = body[start:start + rng.randrange(MIN_RUN, MIN_RUN + 10)]
        message = f"error near {piece.upper() if rng.random() < 0.3 else piece} here"
        assert not leaked(scrub(message), piece)


def test_the_canary_is_never_left_in_a_scrubbed_text() -> None:
    assert not leaked(Scrubber([CANARY])(f"x{CANARY[2:9]}y {CANARY}"), CANARY)
