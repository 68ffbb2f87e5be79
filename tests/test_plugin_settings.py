"""newsroom_content.plugin_settings: the base every plugin's settings module builds on, checked with a small
plugin of its own (no Pelican run, no files)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from newsroom_content.plugin_settings import NewsroomSettingsError, PluginSettings, is_whole_number


class ToySettingsError(NewsroomSettingsError):
    pass


@dataclass(frozen=True)
class ToyConfig:
    enabled: bool
    count: int
    label: str


class ToySettings(PluginSettings):
    plugin = "newsroom_toy"
    defaults = {"NEWSROOM_TOY_ENABLED": True, "NEWSROOM_TOY_COUNT": 3, "NEWSROOM_TOY_LABEL": "toy"}
    error = ToySettingsError
    checks = 0  # how many times check() ran, for the cache test

    def check(self) -> ToyConfig:
        type(self).checks += 1
        return ToyConfig(
            enabled=self.true_or_false("NEWSROOM_TOY_ENABLED"),
            count=self.whole_number("NEWSROOM_TOY_COUNT", "give 1 to 10.", low=1, high=10),
            label=self.text("NEWSROOM_TOY_LABEL", "give a label.", required=True),
        )


def test_prefix_and_config_key_come_from_the_plugin_name():
    assert (ToySettings.prefix, ToySettings.config_key) == ("NEWSROOM_TOY_", "NEWSROOM_TOY_CONFIG")


@pytest.mark.parametrize("site, expected", [
    ({}, ToyConfig(True, 3, "toy")),
    ({"NEWSROOM_TOY_COUNT": 10}, ToyConfig(True, 10, "toy")),
    ({"NEWSROOM_TOY_ENABLED": False, "NEWSROOM_TOY_LABEL": "x", "OTHER": 1}, ToyConfig(False, 3, "x")),
    # The key the config is kept under is the plugin's own, not a misspelt setting.
    ({"NEWSROOM_TOY_CONFIG": object()}, ToyConfig(True, 3, "toy")),
])
def test_defaults_fill_in_what_the_site_does_not_set(site, expected):
    assert ToySettings.load(site) == expected


@pytest.mark.parametrize("site, message", [
    ({"NEWSROOM_TOY_COUNTS": 2},
     "newsroom_toy: NEWSROOM_TOY_COUNTS in pelicanconf.py is not a setting of this plugin. "
     "Fix: did you mean NEWSROOM_TOY_COUNT?"),
    ({"NEWSROOM_TOY_WHOLLY_UNRELATED_WORDS_HERE": 2},
     "newsroom_toy: NEWSROOM_TOY_WHOLLY_UNRELATED_WORDS_HERE in pelicanconf.py is not a setting of this plugin. Fix: use one of "
     "NEWSROOM_TOY_CONFIG, NEWSROOM_TOY_COUNT, NEWSROOM_TOY_ENABLED, NEWSROOM_TOY_LABEL."),
    ({"NEWSROOM_TOY_ENABLED": "yes"}, "newsroom_toy: NEWSROOM_TOY_ENABLED in pelicanconf.py is 'yes'. Fix: write True or False."),
    ({"NEWSROOM_TOY_ENABLED": 1}, "newsroom_toy: NEWSROOM_TOY_ENABLED in pelicanconf.py is 1. Fix: write True or False."),
    ({"NEWSROOM_TOY_COUNT": "3"}, "newsroom_toy: NEWSROOM_TOY_COUNT in pelicanconf.py is '3'. Fix: give 1 to 10."),
    ({"NEWSROOM_TOY_COUNT": True}, "newsroom_toy: NEWSROOM_TOY_COUNT in pelicanconf.py is True. Fix: give 1 to 10."),
    ({"NEWSROOM_TOY_COUNT": 0}, "newsroom_toy: NEWSROOM_TOY_COUNT in pelicanconf.py is 0. Fix: give 1 to 10."),
    ({"NEWSROOM_TOY_COUNT": 11}, "newsroom_toy: NEWSROOM_TOY_COUNT in pelicanconf.py is 11. Fix: give 1 to 10."),
    ({"NEWSROOM_TOY_LABEL": "  "}, "newsroom_toy: NEWSROOM_TOY_LABEL in pelicanconf.py is '  '. Fix: give a label."),
    ({"NEWSROOM_TOY_LABEL": None}, "newsroom_toy: NEWSROOM_TOY_LABEL in pelicanconf.py is None. Fix: give a label."),
])
def test_an_unusable_setting_is_refused_by_name_with_a_fix(site, message):
    with pytest.raises(ToySettingsError) as refused:
        ToySettings.load(site)
    assert str(refused.value) == message
    # `make html` catches the shared type to print the message without a traceback.
    assert isinstance(refused.value, NewsroomSettingsError)


def test_the_unknown_names_are_checked_before_the_values():
    with pytest.raises(ToySettingsError, match="^newsroom_toy: NEWSROOM_TOY_COUNTS "):
        ToySettings.load({"NEWSROOM_TOY_COUNTS": 2, "NEWSROOM_TOY_ENABLED": "yes"})


def test_every_line_of_a_refusal_starts_with_the_plugin_name():
    error = ToySettings({}).refusal("A is wrong", "B is wrong")
    assert str(error).splitlines() == ["newsroom_toy: A is wrong", "newsroom_toy: B is wrong"]


def test_the_config_is_checked_once_per_settings_object():
    ToySettings.checks = 0
    site = {"NEWSROOM_TOY_COUNT": 5}
    first = ToySettings.cached(site)
    assert ToySettings.cached(site) is first and site["NEWSROOM_TOY_CONFIG"] is first
    assert ToySettings.checks == 1
    ToySettings.cached({"NEWSROOM_TOY_COUNT": 5})  # another site's settings are checked on their own
    assert ToySettings.checks == 2


def test_a_plugin_may_keep_no_config_and_another_prefix():
    class Bare(PluginSettings):
        plugin, defaults = "newsroom_bare", {"NEWSROOM_LIMIT": 1}
        prefix = "NEWSROOM_"
        keeps_config = False

    assert (Bare.prefix, Bare.config_key) == ("NEWSROOM_", None)
    assert Bare({})["NEWSROOM_LIMIT"] == 1 and Bare({"NEWSROOM_LIMIT": 2})["NEWSROOM_LIMIT"] == 2
    assert Bare({"NEWSROOM_LIMT": 2}).unknown() == [("NEWSROOM_LIMT", "did you mean NEWSROOM_LIMIT?")]


@pytest.mark.parametrize("value, low, high, expected", [
    (0, None, None, True), (-5, None, None, True), (5, 1, 10, True), (1, 1, 10, True), (10, 1, 10, True),
    (0, 1, 10, False), (11, 1, 10, False), (True, None, None, False), (False, 0, 1, False),
    (1.0, None, None, False), ("1", None, None, False), (None, None, None, False),
])
def test_is_whole_number(value, low, high, expected):
    assert is_whole_number(value, low, high) is expected


@pytest.mark.parametrize("value, folder", [
    ("images/cards", "images/cards"), ("/images/cards/", None), ("images\\sized", "images/sized"),
    ("images/cards/", "images/cards"), ("", None), ("/", None), ("../cards", None), ("images/./cards", None),
    ("images//cards", None), (7, None),
])
def test_a_folder_inside_the_output(value, folder):
    checker = ToySettings({"NEWSROOM_TOY_LABEL": value})
    if folder is None:
        with pytest.raises(ToySettingsError, match='NEWSROOM_TOY_LABEL in pelicanconf.py is .*give a folder inside the output, e.g. "images/x"'):
            checker.folder_in_output("NEWSROOM_TOY_LABEL", "images/x")
    else:
        assert checker.folder_in_output("NEWSROOM_TOY_LABEL", "images/x") == folder
