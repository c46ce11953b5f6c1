-- SPEC §2.6: the patient's language. Set on the chart by staff (or
-- `portal patient add --language`) before registration; a signed-in patient's
-- choice replaces it. Messages to the patient go out in it.
ALTER TABLE patients ADD COLUMN language TEXT NOT NULL DEFAULT 'en' CHECK (language IN ('en', 'es'));
-- The language a message was written in: a call is spoken in it.
ALTER TABLE outbox ADD COLUMN language TEXT NOT NULL DEFAULT 'en' CHECK (language IN ('en', 'es'));
