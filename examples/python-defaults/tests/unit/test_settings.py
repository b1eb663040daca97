"""The API's settings: read from the variables the stack sets, a missing one named."""

import pytest

from service.settings import ApiSettings, EnvironmentVariables, MissingSettingError


def test_api_settings_are_read_from_the_variables_the_stack_sets(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(EnvironmentVariables.TABLE_NAME, "orders-table")

    assert ApiSettings.from_environment() == ApiSettings(
        table_name="orders-table",
    )


@pytest.mark.parametrize(
    "name",
    [
        EnvironmentVariables.TABLE_NAME,
    ],
)
@pytest.mark.parametrize("value", [None, ""], ids=["unset", "empty"])
def test_a_missing_variable_is_named(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str | None
) -> None:
    if value is None:
        monkeypatch.delenv(name)
    else:
        monkeypatch.setenv(name, value)

    with pytest.raises(MissingSettingError, match=f"environment variable {name} is not set"):
        ApiSettings.from_environment()
