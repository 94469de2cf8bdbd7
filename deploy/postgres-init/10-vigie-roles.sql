-- The least-privileged roles of docs/audit-log.md ("What the database protects").
--
-- The postgres image runs this once, with psql, as the superuser (POSTGRES_USER)
-- in POSTGRES_DB, when it initialises an empty data volume (docker-compose.yml
-- mounts this folder on /docker-entrypoint-initdb.d). Every step can be run
-- again by hand, for instance on a volume made before this file existed:
--
--   docker compose exec -T postgres psql -v ON_ERROR_STOP=1 -U postgres -d vigie \
--     -f /docker-entrypoint-initdb.d/10-vigie-roles.sql
--
--   VIGIE_DB_OWNER (default vigie_owner) owns the database and every table the
--     migrations create; the one-shot `migrate` service logs in as it. Not a
--     superuser, cannot create roles or databases.
--   vigie_hub cannot log in: it is what the migrations grant to (SELECT and
--     INSERT on the log's tables, what the hub needs on the others).
--   VIGIE_DB_USER (default vigie_app) is the hub's login: a member of vigie_hub
--     and nothing else. It can neither create, alter nor drop a table, nor
--     UPDATE, DELETE or TRUNCATE the log, nor disable its append-only triggers.
--
-- Passwords come from VIGIE_DB_OWNER_PASSWORD and VIGIE_DB_PASSWORD (read with
-- \getenv, psql 15 or later), never from this file.

\set ON_ERROR_STOP on

\getenv owner VIGIE_DB_OWNER
\if :{?owner}
\else
  \set owner vigie_owner
\endif
\getenv app VIGIE_DB_USER
\if :{?app}
\else
  \set app vigie_app
\endif
\getenv owner_password VIGIE_DB_OWNER_PASSWORD
\if :{?owner_password}
\else
  \set owner_password ''
\endif
\getenv app_password VIGIE_DB_PASSWORD
\if :{?app_password}
\else
  \set app_password ''
\endif

SELECT :'owner_password' = '' OR :'app_password' = '' AS missing_password,
       :'owner' = :'app' OR :'owner' IN (current_user, 'vigie_hub') OR :'app' IN (current_user, 'vigie_hub') AS roles_clash \gset
\if :missing_password
  DO $$ BEGIN RAISE EXCEPTION 'VIGIE_DB_OWNER_PASSWORD and VIGIE_DB_PASSWORD must both be set'; END $$;
\endif
\if :roles_clash
  DO $$ BEGIN RAISE EXCEPTION 'VIGIE_DB_OWNER and VIGIE_DB_USER must be two roles of their own: neither the superuser nor vigie_hub'; END $$;
\endif

SELECT 'CREATE ROLE vigie_hub NOLOGIN' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'vigie_hub') \gexec
ALTER ROLE vigie_hub WITH NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;

SELECT format('CREATE ROLE %I', :'owner') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'owner') \gexec
ALTER ROLE :"owner" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD :'owner_password';

SELECT format('CREATE ROLE %I', :'app') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'app') \gexec
ALTER ROLE :"app" WITH LOGIN INHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD :'app_password';
GRANT vigie_hub TO :"app";

-- The owner role owns the database, hence (PostgreSQL 15) its public schema, where
-- the migrations create the tables; only it and the hub's group may connect.
SELECT format('ALTER DATABASE %I OWNER TO %I', current_database(), :'owner') \gexec
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', current_database()) \gexec
SELECT format('GRANT CONNECT ON DATABASE %I TO vigie_hub', current_database()) \gexec
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
