"""What a list page's header says about the people and things it lists, decided once per build.

An author's page shows the author's role above the name and the bio under it when authors.yml gives
them, and nothing in their place when it does not (the build's check already warns about a byline
without an entry): theme/templates/author.html only lays out the AuthorProfile it is given.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AuthorProfile:
    role: str = ""  # "Middle East correspondent", or "" when authors.yml has none
    bio: str = ""  # one or two sentences, or ""


def author_profile(info) -> AuthorProfile:
    """The profile an author page shows, from the author's authors.yml entry (an AuthorInfo, or None)."""
    if info is None:
        return AuthorProfile()
    return AuthorProfile((getattr(info, "role", "") or "").strip(), (getattr(info, "bio", "") or "").strip())


def author_profiles(names, info_by_name: dict) -> dict[str, AuthorProfile]:
    """Every listed author's profile by name: every byline a page is written for has one, possibly empty."""
    return {name: author_profile(info_by_name.get(name)) for name in names}
