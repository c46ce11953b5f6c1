-- SPEC §5: adding a passkey, turning two-step verification off or changing
-- its number, and inviting a family member need a second step passed in the
-- last 10 minutes when two-step verification is on. A session keeps when it
-- last passed one (its sign-in's second step or passkey, or the code that
-- turned two-step verification on); NULL: never.
ALTER TABLE sessions ADD COLUMN stepped_up_at BIGINT;
