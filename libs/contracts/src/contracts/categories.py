"""The eleven categories of prohibited content of BJ-10 (MB-12, PA-11): one enum, stable codes.

Moderation decides in these codes, reporting files complaints in them, the regulator sees them in
reports; a complaint's category therefore matches a decision's. A code never changes once released
(stored rows and events carry it); a new category gets a new code.
"""

from __future__ import annotations

from enum import StrEnum

# Every category is also a case of MB-12 (microblogs) and PA-11 (public accounts).
CATEGORY_LEGAL_BASIS = ("MB-12", "PA-11")


class Bj10Category(StrEnum):
    AGAINST_CONSTITUTION = "bj10.against_constitution"
    STATE_SECURITY = "bj10.state_security"
    NATIONAL_HONOUR = "bj10.national_honour"
    ETHNIC_HATRED = "bj10.ethnic_hatred"
    RELIGION_CULTS_SUPERSTITION = "bj10.religion_cults_superstition"
    RUMOUR_DISTURBING_ORDER = "bj10.rumour_disturbing_order"
    OBSCENITY_GAMBLING_VIOLENCE_TERROR_CRIME = "bj10.obscenity_gambling_violence_terror_crime"
    INSULT_DEFAMATION = "bj10.insult_defamation"
    ILLEGAL_ASSEMBLY = "bj10.illegal_assembly"
    ILLEGAL_ORGANIZATION = "bj10.illegal_organization"
    OTHER_PROHIBITED = "bj10.other_prohibited"

    @property
    def requirement(self) -> str:
        """The item of BJ-10 this category is, e.g. ``BJ-10(6)`` for rumours."""
        return f"BJ-10({list(Bj10Category).index(self) + 1})"

    @property
    def legal_basis(self) -> list[str]:
        """The requirement IDs a decision or complaint in this category cites."""
        return [self.requirement, *CATEGORY_LEGAL_BASIS]

    @property
    def description(self) -> str:
        return _DESCRIPTIONS[self]


_DESCRIPTIONS: dict[Bj10Category, str] = {
    Bj10Category.AGAINST_CONSTITUTION: "opposes the basic principles of the Constitution",
    Bj10Category.STATE_SECURITY: (
        "endangers state security, leaks state secrets, subverts state power, undermines unity"
    ),
    Bj10Category.NATIONAL_HONOUR: "harms national honour and interests",
    Bj10Category.ETHNIC_HATRED: "incites ethnic hatred or discrimination, undermines ethnic unity",
    Bj10Category.RELIGION_CULTS_SUPERSTITION: (
        "undermines state religious policy, promotes cults or feudal superstition"
    ),
    Bj10Category.RUMOUR_DISTURBING_ORDER: "spreads rumours, disturbs social order, undermines social stability",
    Bj10Category.OBSCENITY_GAMBLING_VIOLENCE_TERROR_CRIME: (
        "spreads obscenity, gambling, violence, murder, terror, or abets crime"
    ),
    Bj10Category.INSULT_DEFAMATION: "insults or defames others, infringes their lawful rights",
    Bj10Category.ILLEGAL_ASSEMBLY: "incites illegal assembly, association, marches, demonstrations, gatherings",
    Bj10Category.ILLEGAL_ORGANIZATION: "acts in the name of an illegal civil organization",
    Bj10Category.OTHER_PROHIBITED: "other content prohibited by laws and administrative regulations",
}
