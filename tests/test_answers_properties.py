"""Property-based checks of the questions: whatever a validator accepts renders files that parse,
and near misses of good answers (a trailing newline or space, a control, bidi or non-ASCII
character, an over-long value) are refused.

Each property runs a bounded number of examples, derandomized, so the suite's time and result
are the same on every run.
"""

from __future__ import annotations

import ast
import json
import tomllib
from pathlib import Path
from typing import Any

import copier
import pytest
import yaml
from conftest import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_extensions import ext

# Every free-text question, with what it accepts.
_label = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?", fullmatch=True)
_host = st.one_of(
    st.lists(_label, min_size=1, max_size=4).map(".".join),
    st.tuples(*[st.integers(0, 255)] * 4).map(lambda parts: ".".join(map(str, parts))),
)
_origin = st.builds(
    lambda scheme, host, port: f"{scheme}://{host}{'' if port is None else f':{port}'}",
    st.sampled_from(["http", "https"]),
    _host,
    st.none() | st.integers(1, 65535),
)
ACCEPTED: dict[str, st.SearchStrategy[str]] = {
    "service_name": st.from_regex(r"[a-z][a-z0-9]{2,8}(-[a-z0-9]{1,6}){0,3}", fullmatch=True),
    "team": st.from_regex(
        r"[A-Za-z0-9][A-Za-z0-9 _.:/=+@-]{0,62}[A-Za-z0-9_.:/=+@-]", fullmatch=True
    ),
    "aws_region": st.sampled_from(
        [r for r in ext.REGION_DATA["regions"] if ext.partition(r) in ext.SUPPORTED_PARTITIONS]
    ),
    "github_repository": st.builds(
        "{}/{}".format,
        st.from_regex(ext._GITHUB_OWNER, fullmatch=True),
        st.from_regex(ext._GITHUB_REPO, fullmatch=True).filter(lambda n: n not in {".", ".."}),
    ),
    "allowed_origins": st.builds(
        lambda origins, spaced: (", " if spaced else ",").join(origins),
        st.lists(_origin, min_size=1, max_size=3),
        st.booleans(),
    ),
    "oidc_issuer_url": st.builds(
        lambda host, port, path: f"https://{host}{'' if port is None else f':{port}'}{path}",
        st.lists(_label, min_size=1, max_size=4).map(".".join),
        st.none() | st.integers(1, 65535),
        st.from_regex(r"(/[A-Za-z0-9._~-]{0,12}){0,3}", fullmatch=True),
    ),
    "oidc_audience": st.from_regex(r"[!-~]([ -~]{0,40}[!-~])?", fullmatch=True),
}
VALIDATOR = {question: getattr(ext, f"{question}_error") for question in ACCEPTED}

# What a careless paste or a hostile answer adds to a good value.
_TRAILING = st.sampled_from([" ", "\n", "\t", "\r\n", "\u00a0"])
_FOREIGN = st.one_of(
    st.characters(min_codepoint=0, max_codepoint=0x1F),
    st.just("\x7f"),
    st.sampled_from(["\u202e", "\u200f", "\u2066"]),  # bidi controls
    st.characters(min_codepoint=0x80, max_codepoint=0x2FFF, exclude_categories=["Cs"]),
)


@st.composite
def near_miss(draw: st.DrawFn, question: str) -> str:
    value = draw(ACCEPTED[question])
    kind = draw(st.sampled_from(["trailing", "inserted", "over-long"]))
    if kind == "trailing":
        return value + draw(_TRAILING)
    if kind == "inserted":
        at = draw(st.integers(0, len(value)))
        return value[:at] + draw(_FOREIGN) + value[at:]
    return value + "a" * 300


@pytest.mark.parametrize("question", list(ACCEPTED))
@settings(max_examples=300, derandomize=True, deadline=None)
@given(data=st.data())
def test_near_misses_are_refused_in_one_line_naming_the_question(
    question: str, data: st.DataObject
) -> None:
    value = data.draw(near_miss(question))
    message = VALIDATOR[question](value)
    assert message, f"{question} accepted {value!r}"
    assert question in message
    assert "\n" not in message


@pytest.mark.parametrize("question", list(ACCEPTED))
@settings(max_examples=300, derandomize=True, deadline=None)
@given(data=st.data())
def test_accepted_values_pass_their_validator(question: str, data: st.DataObject) -> None:
    value = data.draw(ACCEPTED[question])
    assert VALIDATOR[question](value) == ""


@pytest.mark.parametrize("port", [True, 0, 80, 1023, 65536, -1, "http", None])
def test_container_port_refuses_what_is_not_a_listening_port(port: Any) -> None:
    assert "container_port" in ext.container_port_error(port)


# Files whose syntax a render must keep valid, by how to parse them.
PARSERS = {
    ".py": ast.parse,
    ".json": json.loads,
    ".toml": tomllib.loads,
    ".yml": yaml.safe_load,
    ".yaml": yaml.safe_load,
    ".cfnlintrc": yaml.safe_load,
}


def _parse_everything(root: Path) -> int:
    parsed = 0
    for path in root.rglob("*"):
        parser = PARSERS.get(path.suffix or path.name)
        if path.is_file() and parser:
            parser(path.read_text())
            parsed += 1
    return parsed


@pytest.mark.parametrize("question", list(ACCEPTED))
@settings(
    max_examples=4,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_accepted_values_render_files_that_parse(
    question: str, data: st.DataObject, tmp_path_factory: pytest.TempPathFactory
) -> None:
    value = data.draw(ACCEPTED[question])
    destination = tmp_path_factory.mktemp("render") / "service"
    # Services and a sign-in that ask every follow-up question and render the values into code.
    answers = {
        "services": ["api", "s3", "ecs", "eventbridge"],
        "auth_provider": "oidc",
        "oidc_issuer_url": "https://login.example.com",
        "oidc_audience": "orders",
        question: value,
    }
    copier.run_copy(
        str(ROOT), destination, data=answers, defaults=True, unsafe=True, quiet=True, vcs_ref="HEAD"
    )
    assert _parse_everything(destination) > 0
    recorded = yaml.safe_load((destination / ".copier-answers.yml").read_text())
    assert recorded[question] == value
