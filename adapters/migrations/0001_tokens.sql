-- qrpay token vault, version 1. Applied by qrpay_adapters::postgres_vault::migrate().
--
-- One row per payment token. The token number is the primary key (unique across domains),
-- and an account has at most one token per domain: two hosts tokenising the same account
-- at once end with one row, whichever insert commits first.
--
-- `account` holds the PAN or account id in clear: encrypt the column or the storage
-- (pgcrypto, TDE, an encrypted volume) and restrict who may read this table.

CREATE TABLE qrpay_tokens (
    number        text        PRIMARY KEY CHECK (number ~ '^[0-9]{13,19}$'),
    domain        text        NOT NULL CHECK (octet_length(domain) BETWEEN 1 AND 64),
    account_kind  text        NOT NULL CHECK (account_kind IN ('pan', 'id')),
    account       text        NOT NULL CHECK (length(account) BETWEEN 1 AND 64),
    assurance     smallint    NOT NULL DEFAULT 0 CHECK (assurance BETWEEN 0 AND 99),
    par           text        CHECK (par ~ '^[A-Z0-9]{29}$'),
    requestor     text        CHECK (requestor ~ '^[0-9]{11}$'),
    pan_last4     text        CHECK (pan_last4 ~ '^[0-9]{4}$'),
    -- Domain restriction controls: empty arrays allow everything, NULL limits nothing.
    channels      text[]      NOT NULL DEFAULT '{}',
    merchants     text[]      NOT NULL DEFAULT '{}',
    acquirers     text[]      NOT NULL DEFAULT '{}',
    not_after     bigint,
    max_uses      integer     CHECK (max_uses >= 0),
    uses          integer     NOT NULL DEFAULT 0 CHECK (uses >= 0),
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_used_at  timestamptz,
    CONSTRAINT qrpay_tokens_one_per_account UNIQUE (domain, account_kind, account)
);
