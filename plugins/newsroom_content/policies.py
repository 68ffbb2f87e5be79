"""The paper's published standards: a page says which policy it is with `Policy:` (a schema.org property
of a NewsMediaOrganization), and the publisher's structured data names it (newsroom_discovery's
jsonld.py). One list, shared by the check and the structured data."""

from __future__ import annotations

# schema.org's properties of a NewsMediaOrganization (and an Organization) that name a policy or a page
# about the publisher, in the order the structured data lists them.
POLICY_PROPERTIES = (
    "publishingPrinciples", "correctionsPolicy", "ethicsPolicy", "ownershipFundingInfo", "masthead",
    "actionableFeedbackPolicy", "diversityPolicy", "diversityStaffingReport", "missionCoveragePrioritiesPolicy",
    "noBylinesPolicy", "unnamedSourcesPolicy", "verificationFactCheckingPolicy",
)
_BY_LOWER = {name.lower(): name for name in POLICY_PROPERTIES}


def policy_property(value) -> str | None:
    """The property as schema.org spells it, for any capitalisation; None for no value or an unknown one."""
    if value is None:
        return None
    return _BY_LOWER.get(str(value).strip().lower())
