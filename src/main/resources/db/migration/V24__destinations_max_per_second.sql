-- Optional outbound rate limit per destination; deliveries beyond it wait for a token.
ALTER TABLE destinations ADD COLUMN max_per_second integer CHECK (max_per_second > 0);
