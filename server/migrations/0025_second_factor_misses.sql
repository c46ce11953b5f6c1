-- SPEC §5 / issue 30: wrong second-factor codes in a row, across locks. The
-- 15-minute lock alone lets about 480 guesses a day through forever; after
-- 20 in a row only a password reset or staff "Unlock account" opens the
-- account (lockout::MAX_SECOND_FACTOR_MISSES). A passed second step, a
-- reset or an unlock sets it back to 0.
ALTER TABLE accounts ADD COLUMN second_factor_misses BIGINT NOT NULL DEFAULT 0;
