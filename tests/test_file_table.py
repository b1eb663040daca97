"""The table in extensions/files.toml, checked against template/ and against real renders.

Fast: nothing is installed. Each answer set is rendered once per session and shared with the
rendered-project tests.
"""

from __future__ import annotations

import pytest
import yaml
from conftest import ANSWER_SETS, ROOT, Renders, project_files
from test_extensions import ext

TABLE = ext.file_table()
FILES = ext.template_files()


def _matched_by(pattern: str) -> list[str]:
    regex = ext.glob_regex(pattern)
    return [path for path in FILES if regex.match(path)]


def test_every_template_file_is_common_or_owned_by_a_rule_not_both() -> None:
    common = {path for pattern in TABLE.common for path in _matched_by(pattern)}
    owned = {path for rule in TABLE.rules for path in FILES if rule.matches(path)}
    # A package's __init__.py follows its folder; it needs no rule of its own.
    packages = {path for path in FILES if path.endswith("/__init__.py")}
    assert set(FILES) - common - owned - packages == set(), "files no rule or common entry names"
    assert common & owned == set(), "files both common and owned by a rule"


@pytest.mark.parametrize(
    "pattern",
    [p for p in TABLE.common]
    + [p for rule in TABLE.rules if not rule.planned for p in rule.paths]
    + [p for p in TABLE.starting_points],
)
def test_every_pattern_matches_a_template_file(pattern: str) -> None:
    assert _matched_by(pattern), f"{pattern} matches no file under template/"


@pytest.mark.parametrize("pattern", [p for rule in TABLE.rules if rule.planned for p in rule.paths])
def test_planned_patterns_match_nothing_yet(pattern: str) -> None:
    assert not _matched_by(pattern), f"{pattern} has files now: drop `planned` from its rule"


def test_rule_conditions_name_known_flags() -> None:
    known = set(ext.LANGUAGES) | set(ext.derive({})["has"])
    for rule in TABLE.rules:
        words = rule.when.replace(" and ", " ").replace(" or ", " ").split()
        assert set(words) <= known, rule.when
        assert not (" and " in rule.when and " or " in rule.when), rule.when


def test_copier_skips_exactly_the_starting_points_on_update() -> None:
    settings = yaml.safe_load((ROOT / "copier.yml").read_text())
    assert settings["_skip_if_exists"] == list(TABLE.starting_points)


@pytest.mark.parametrize("path", [p for p in FILES if TABLE.is_starting_point(p)])
def test_starting_points_do_not_vary_with_the_services(path: str) -> None:
    # An update never rewrites a starting point, so one that varied with the services would keep
    # the old services' code after `copier update --data services=...`.
    source = ext.TEMPLATE_ROOT / path
    if not source.exists():
        source = source.with_name(source.name + ext.TEMPLATE_SUFFIX)
    assert "has." not in source.read_text()


@pytest.mark.parametrize("name", list(ANSWER_SETS))
def test_render_holds_exactly_what_the_table_predicts(renders: Renders, name: str) -> None:
    root = renders[name]
    answers = yaml.safe_load((root / ".copier-answers.yml").read_text())
    context = ext.derive(answers)
    flags = ext.flags_of(answers["language"], context["has"])
    assert project_files(root) == {*ext.rendered_files(flags), ".copier-answers.yml"}


@pytest.mark.parametrize("name", list(ANSWER_SETS))
def test_no_rendered_file_is_empty(renders: Renders, name: str) -> None:
    root = renders[name]
    empty = sorted(path for path in project_files(root) if not (root / path).read_bytes().strip())
    assert empty == []
