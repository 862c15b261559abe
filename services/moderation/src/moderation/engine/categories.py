"""The eleven categories of prohibited content of BJ-10 (MB-12, PA-11), as stable codes."""

from __future__ import annotations

BJ10_CATEGORIES: dict[str, str] = {
    "bj10.against_constitution": "opposes the basic principles of the Constitution",
    "bj10.state_security": "endangers state security, leaks state secrets, subverts state power, undermines unity",
    "bj10.national_honour": "harms national honour and interests",
    "bj10.ethnic_hatred": "incites ethnic hatred or discrimination, undermines ethnic unity",
    "bj10.religion_cults_superstition": "undermines state religious policy, promotes cults or feudal superstition",
    "bj10.rumour_disturbing_order": "spreads rumours, disturbs social order, undermines social stability",
    "bj10.obscenity_gambling_violence_terror_crime": (
        "spreads obscenity, gambling, violence, murder, terror, or abets crime"
    ),
    "bj10.insult_defamation": "insults or defames others, infringes their lawful rights",
    "bj10.illegal_assembly": "incites illegal assembly, association, marches, demonstrations, gatherings",
    "bj10.illegal_organization": "acts in the name of an illegal civil organization",
    "bj10.other_prohibited": "other content prohibited by laws and administrative regulations",
}
