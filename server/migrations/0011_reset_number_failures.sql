-- A mobile number that doesn't match the one on file is a wrong try of the
-- reset flow (SPEC §5): counted, and 5 of them end the flow.
ALTER TABLE reset_flows ADD COLUMN number_failures BIGINT NOT NULL DEFAULT 0;
