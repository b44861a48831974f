--liquibase formatted sql

-- The Flyway migration (db/migration/V1__record_origin.sql), as one Liquibase changeset: records which session ran
-- it, through PgBouncer (whose server sessions set test.via) or not, from which client address and under which
-- application_name.

--changeset app:1
CREATE TABLE migration_origin AS
SELECT current_setting('test.via', true) AS via,
       inet_client_addr()::text AS client_addr,
       current_setting('application_name') AS application_name;

CREATE TABLE notes(id bigserial PRIMARY KEY, body text NOT NULL);
