-- SPEC §2.4 and §2.7: invitations carry the practice's access code, and an
-- invitation may be for a family member or caregiver instead of the chart's
-- own patient; an account without a chart of its own keeps its own name,
-- email, date of birth and mobile number.

-- The access code: its HMAC (keyed outside the database) to check what is
-- typed, and a sealed copy for staff and `portal access-code` to read out.
-- An invitation sent before codes existed has neither and can't be used.
ALTER TABLE invitations ADD COLUMN access_code_mac TEXT;
ALTER TABLE invitations ADD COLUMN access_code_sealed TEXT;
-- NULL: the chart's own patient is invited. Else what the invited person
-- will be to the patient, their name, and who invited them (an actor as the
-- audit log writes it).
ALTER TABLE invitations ADD COLUMN relationship TEXT CHECK (relationship IN ('parent', 'spouse', 'adult_child', 'caregiver', 'other'));
ALTER TABLE invitations ADD COLUMN invitee_name TEXT;
ALTER TABLE invitations ADD COLUMN invited_by TEXT;
-- Only for an account with no chart of its own (a family member or
-- caregiver); an account with one reads these from its chart.
ALTER TABLE accounts ADD COLUMN first_name TEXT;
ALTER TABLE accounts ADD COLUMN last_name TEXT;
ALTER TABLE accounts ADD COLUMN email TEXT;
ALTER TABLE accounts ADD COLUMN dob TEXT;
ALTER TABLE accounts ADD COLUMN mobile TEXT;
CREATE INDEX accounts_by_email ON accounts (email);

-- The sweep that ends a minor's parent access on the 18th birthday reads this.
CREATE INDEX grants_ending ON grants (ends_at) WHERE ends_at IS NOT NULL AND ended_at IS NULL;
