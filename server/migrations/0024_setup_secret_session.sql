-- SPEC §5 / issue 30: the authenticator key offered in settings belongs to
-- the session that was shown it. Another session (someone who once saw the
-- page, a borrowed session) is offered a fresh key, which replaces it, so a
-- key someone else saw never becomes the one that is set up.
ALTER TABLE two_step_settings ADD COLUMN setup_secret_session TEXT;
