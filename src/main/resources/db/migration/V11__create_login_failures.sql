-- Failed logins per email, so a password cannot be guessed by brute force from any replica.
CREATE TABLE login_failures (
    email        varchar(254) PRIMARY KEY, -- serves: the throttle check of POST /auth/login (lower-cased)
    failures     integer      NOT NULL,
    window_start timestamptz  NOT NULL,
    locked_until timestamptz
);
