-- SPEC §2.4: "Text me a code" — where the chart has a mobile number, a
-- code texted to it stands in for the access code. Kept as an HMAC keyed
-- by the link's token (a copy of the database alone can't be searched for
-- it), with when it stops working, when the newest went, and how many went.
ALTER TABLE invitations ADD COLUMN text_code_mac TEXT;
ALTER TABLE invitations ADD COLUMN text_code_expires_at BIGINT;
ALTER TABLE invitations ADD COLUMN text_code_sent_at BIGINT;
ALTER TABLE invitations ADD COLUMN text_code_sends BIGINT NOT NULL DEFAULT 0;
