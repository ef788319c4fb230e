-- Every replica caches whether a bearer token was logged out (auth.TokenRevocation): a logout is
-- announced to all of them at commit, with the token's jti as payload, so it is refused everywhere
-- at once.
CREATE FUNCTION notify_token_revocation() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('datapusher_revoked_tokens', NEW.jti);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER revoked_tokens_insert
    AFTER INSERT ON revoked_tokens
    FOR EACH ROW EXECUTE FUNCTION notify_token_revocation();
