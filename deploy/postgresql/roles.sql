-- NextECF on PostgreSQL: two roles, so that the application cannot rewrite its own audit log.
--
--   nextecf_owner  owns the database, its schema and every table; `manage.py migrate` runs
--                  as it (DATABASE_MIGRATE_URL). Never used by the running application.
--   nextecf_app    what the application connects as (DATABASE_URL). Owns nothing: it cannot
--                  CREATE, ALTER or DROP a table, disable a trigger or set
--                  session_replication_role. It may read and write the application's
--                  tables, but only SELECT and INSERT the audit log (audit_auditevent,
--                  audit_auditseal), and TRUNCATE nothing.
--
-- Run once, as a superuser, against the application's database:
--
--   psql -v ON_ERROR_STOP=1 -v owner_password="'...'" -v app_password="'...'" \
--        -d nextecf -f deploy/postgresql/roles.sql
--
-- then set, for the application and the migrations respectively:
--
--   DATABASE_URL=postgres://nextecf_app:...@db/nextecf
--   DATABASE_MIGRATE_URL=postgres://nextecf_owner:...@db/nextecf
--   DATABASE_APP_ROLE=nextecf_app
--
-- `manage.py migrate` then connects as the owner and, after the migrations, grants
-- nextecf_app its privileges on every table that exists (nextecf.audit.chain
-- app_role_grants: the same statements as the last block below), so a new table is
-- covered as soon as it is migrated.

CREATE ROLE nextecf_owner LOGIN PASSWORD :owner_password;
CREATE ROLE nextecf_app LOGIN PASSWORD :app_password
    NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;

SELECT format('ALTER DATABASE %I OWNER TO nextecf_owner', current_database()) \gexec
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', current_database()) \gexec
SELECT format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO nextecf_app', current_database()) \gexec

ALTER SCHEMA public OWNER TO nextecf_owner;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO nextecf_app;

-- An existing database migrated as another role: hand its tables to the owner.
SELECT format('ALTER TABLE public.%I OWNER TO nextecf_owner', tablename)
  FROM pg_tables WHERE schemaname = 'public' \gexec
SELECT format('ALTER SEQUENCE public.%I OWNER TO nextecf_owner', sequencename)
  FROM pg_sequences WHERE schemaname = 'public' \gexec
SELECT format('ALTER FUNCTION public.%I() OWNER TO nextecf_owner', proname)
  FROM pg_proc WHERE pronamespace = 'public'::regnamespace AND proname LIKE 'audit_%' \gexec

-- Tables the owner creates later get the application's privileges at once; the audit
-- tables lose UPDATE and DELETE again after each migrate (the block below).
ALTER DEFAULT PRIVILEGES FOR ROLE nextecf_owner IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO nextecf_app;
ALTER DEFAULT PRIVILEGES FOR ROLE nextecf_owner IN SCHEMA public
    GRANT USAGE, SELECT ON SEQUENCES TO nextecf_app;

-- The application's privileges on the tables that exist now (rerun by every migrate).
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO nextecf_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO nextecf_app;
DO $$
BEGIN
    IF to_regclass('public.audit_auditevent') IS NOT NULL THEN
        REVOKE UPDATE, DELETE, TRUNCATE, TRIGGER, REFERENCES
            ON audit_auditevent, audit_auditseal FROM nextecf_app;
    END IF;
END $$;
