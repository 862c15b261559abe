"""The eleven categories of prohibited content of BJ-10 (MB-12, PA-11): one enum, stable codes.

Moderation decides in these codes, reporting files complaints in them, the regulator sees them in
reports; a complaint's category therefore matches a decision's. A code never changes once released
(stored rows and events carry it); a new category gets a new code.
"""

from __future__ import annotations

from enum import StrEnum


class Bj10Category(StrEnum):
    AGAINST_CONSTITUTION = "bj10.against_constitution"  # opposes the basic principles of the Constitution
    # endangers state security, leaks state secrets, subverts state power, undermines national unity
    STATE_SECURITY = "bj10.state_security"
    NATIONAL_HONOUR = "bj10.national_honour"  # harms national honour and interests
    ETHNIC_HATRED = "bj10.ethnic_hatred"  # incites ethnic hatred or discrimination, undermines ethnic unity
    # undermines state religious policy, promotes cults or feudal superstition
    RELIGION_CULTS_SUPERSTITION = "bj10.religion_cults_superstition"
    # spreads rumours, disturbs social order, undermines social stability
    RUMOUR_DISTURBING_ORDER = "bj10.rumour_disturbing_order"
    # spreads obscenity, gambling, violence, murder, terror, or abets crime
    OBSCENITY_GAMBLING_VIOLENCE_TERROR_CRIME = "bj10.obscenity_gambling_violence_terror_crime"
    INSULT_DEFAMATION = "bj10.insult_defamation"  # insults or defames others, infringes their lawful rights
    # incites illegal assembly, association, marches, demonstrations, gatherings
    ILLEGAL_ASSEMBLY = "bj10.illegal_assembly"
    ILLEGAL_ORGANIZATION = "bj10.illegal_organization"  # acts in the name of an illegal civil organization
    OTHER_PROHIBITED = "bj10.other_prohibited"  # other content prohibited by laws and administrative regulations

    @property
    def requirement(self) -> str:
        """The item of BJ-10 this category is (the members are in the regulation's order), e.g.
        ``BJ-10(6)`` for rumours; every category is also a case of MB-12 and PA-11."""
        return f"BJ-10({list(Bj10Category).index(self) + 1})"
