CREATE TABLE account_members (
    id         uuid        PRIMARY KEY,
    account_id uuid        NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    user_id    uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role_id    uuid        NOT NULL REFERENCES roles (id),
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    created_by uuid        NOT NULL REFERENCES users (id),
    updated_by uuid        NOT NULL REFERENCES users (id)
);

-- serves: AccountMember.find(account, user) (the role check of every account API) and
-- AccountMember.listByAccount; also forbids a second membership of the same user.
CREATE UNIQUE INDEX account_members_account_user_uq ON account_members (account_id, user_id);

-- serves: AccountMember.listByUser (GET /auth/me, GET /accounts)
CREATE INDEX account_members_user_idx ON account_members (user_id);
