-- When the patient first opened the invitation's link, for the staff
-- troubleshooting panel ("never opened" vs "opened, not registered").
ALTER TABLE invitations ADD COLUMN opened_at BIGINT;
