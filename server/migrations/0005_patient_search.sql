-- The staff console searches names by a lower-cased prefix (SPEC §3).
CREATE INDEX patients_by_lower_last ON patients (lower(last_name));
CREATE INDEX patients_by_lower_first ON patients (lower(first_name));
