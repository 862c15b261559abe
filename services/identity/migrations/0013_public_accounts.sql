-- Public accounts (公众账号, PA-2, PA-6, PA-7): an account row of kind 'public', bound to the subject of
-- the verified user who registered it, with no password and no mobile number (it never signs in:
-- its operators act as it with short-lived acting tokens, claim "act").
ALTER TABLE account ADD COLUMN kind text NOT NULL DEFAULT 'user' CHECK (kind IN ('user', 'public'));
ALTER TABLE account ALTER COLUMN password_hash DROP NOT NULL;
ALTER TABLE account ALTER COLUMN phone_ciphertext DROP NOT NULL;
ALTER TABLE account ALTER COLUMN phone_lookup DROP NOT NULL;
ALTER TABLE account ADD CONSTRAINT account_user_credentials CHECK (
    kind = 'public' OR (password_hash IS NOT NULL AND phone_ciphertext IS NOT NULL AND phone_lookup IS NOT NULL)
);

-- The application staff review (PA-7.1): account information, qualifications and business scope.
CREATE TABLE public_account_application (
    id                     uuid PRIMARY KEY,
    registrant_account_id  uuid        NOT NULL REFERENCES account (id),
    subject_lookup         bytea       NOT NULL,  -- the registrant's subject (keyed hash, never the number)
    public_account_id      uuid        REFERENCES account (id),  -- set on approval
    name                   text        NOT NULL,
    name_folded            text        NOT NULL,
    kind                   text        NOT NULL CHECK (kind IN ('individual', 'enterprise', 'media', 'government',
                                                                 'public_institution', 'other_organisation')),
    category               text        NOT NULL CHECK (category IN ('news', 'government_affairs', 'culture',
                                                                     'finance', 'technology', 'lifestyle', 'other')),
    business_scope         text        NOT NULL,
    qualifications         jsonb       NOT NULL DEFAULT '[]',  -- [{kind, number}], e.g. a news licence
    province_code          text        NOT NULL,
    status                 text        NOT NULL CHECK (status IN ('submitted', 'approved', 'refused')),
    reason                 text,
    submitted_at           timestamptz NOT NULL DEFAULT now(),
    reviewed_by            text,
    reviewed_at            timestamptz
);
CREATE INDEX public_account_application_queue ON public_account_application (submitted_at, id)
    WHERE status = 'submitted';
CREATE INDEX public_account_application_status ON public_account_application (status, submitted_at, id);
CREATE INDEX public_account_application_registrant ON public_account_application (registrant_account_id);
CREATE UNIQUE INDEX public_account_application_name ON public_account_application (name_folded)
    WHERE status <> 'refused';

CREATE TABLE public_account (
    account_id        uuid PRIMARY KEY REFERENCES account (id),
    application_id    uuid        NOT NULL REFERENCES public_account_application (id),
    owner_account_id  uuid        NOT NULL REFERENCES account (id),
    subject_lookup    bytea       NOT NULL,
    name              text        NOT NULL,
    kind              text        NOT NULL,
    label             text        NOT NULL,  -- 分类加注标识, from the kind
    category          text        NOT NULL,
    business_scope    text        NOT NULL,
    province_code     text        NOT NULL,
    approved_at       timestamptz NOT NULL DEFAULT now(),
    cancelled_at      timestamptz
);
CREATE INDEX public_account_subject ON public_account (subject_lookup) WHERE cancelled_at IS NULL;

-- Who may act as the account (PA-7.1): its owner and the editors the owner added. A removed operator's
-- acting tokens are revoked (claim "act", issued before the removal).
CREATE TABLE public_account_operator (
    public_account_id  uuid        NOT NULL REFERENCES account (id),
    account_id         uuid        NOT NULL REFERENCES account (id),
    role               text        NOT NULL CHECK (role IN ('owner', 'editor')),
    added_by           uuid        NOT NULL,
    added_at           timestamptz NOT NULL DEFAULT now(),
    removed_at         timestamptz,
    PRIMARY KEY (public_account_id, account_id)
);
CREATE INDEX public_account_operator_account ON public_account_operator (account_id) WHERE removed_at IS NULL;
CREATE INDEX public_account_operator_removed ON public_account_operator (removed_at) WHERE removed_at IS NOT NULL;
