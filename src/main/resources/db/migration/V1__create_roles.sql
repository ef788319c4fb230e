-- Roles are data, not code: the two of the specification are seeded by the next migration.
CREATE TABLE roles (
    id         uuid        PRIMARY KEY,
    code       varchar(32) NOT NULL UNIQUE, -- serves: Role.findByCode (membership checks, member create/update)
    role_name  varchar(64) NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
