-- Per-IP attempts a minute (SPEC §5), counted in the database that every
-- instance shares, so that three instances allow what one does.
CREATE TABLE ip_throttle (
    endpoint TEXT NOT NULL,
    bucket TEXT NOT NULL,
    minute BIGINT NOT NULL,
    attempts BIGINT NOT NULL,
    PRIMARY KEY (endpoint, bucket, minute)
);
