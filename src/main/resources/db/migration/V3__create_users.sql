-- The bcrypt hash, salt and cost are kept apart because the Elytron JDBC realm's
-- bcrypt mapper reads them as three columns when it checks a login.
CREATE TABLE users (
    id            uuid         PRIMARY KEY,
    email         varchar(254) NOT NULL,
    password_hash varchar(64)  NOT NULL,
    password_salt varchar(64)  NOT NULL,
    password_cost integer      NOT NULL,
    created_at    timestamptz  NOT NULL,
    updated_at    timestamptz  NOT NULL,
    created_by    uuid         NOT NULL REFERENCES users (id),
    updated_by    uuid         NOT NULL REFERENCES users (id)
);

-- serves: User.findByEmail and the JDBC realm's principal query (login); emails are
-- unique without regard to case.
CREATE UNIQUE INDEX users_email_lower_uq ON users (lower(email));
