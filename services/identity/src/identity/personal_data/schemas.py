"""HTTP models of the audited personal-data read (MB-7.3, PA-9.1)."""

from __future__ import annotations

import uuid

from pydantic import BaseModel

from identity.realname.domain import SubjectType


class ProofNameRead(BaseModel):
    id: uuid.UUID
    v_type: str
    status: str
    display_name: str | None
    proof_name: str


class PersonalDataRead(BaseModel):
    account_id: uuid.UUID
    mobile: str
    legal_name: str | None
    id_number: str | None
    subject_type: SubjectType | None
    verified_applications: list[ProofNameRead]
