-- Every replica keeps the map from CL-X-TOKEN to account in memory (account.AccountTokens): a new
-- account, a rotated token or a deleted account is announced to all of them at commit, with the
-- account's id as payload (never the token).
CREATE FUNCTION notify_account_token_change() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('datapusher_account_tokens', COALESCE(NEW.id, OLD.id)::text);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER accounts_token_change
    AFTER INSERT OR DELETE OR UPDATE OF app_secret_token ON accounts
    FOR EACH ROW EXECUTE FUNCTION notify_account_token_change();
