-- "That username is taken." answers are counted per invitation (SPEC §5
-- probes): past the cap the invitation is void, so one link can't be used to
-- test unlimited usernames.
ALTER TABLE invitations ADD COLUMN username_probes BIGINT NOT NULL DEFAULT 0;
