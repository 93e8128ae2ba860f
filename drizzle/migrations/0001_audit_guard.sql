-- Audit events are append-only: refuse UPDATE and DELETE on every partition.
CREATE OR REPLACE FUNCTION audit_events_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER audit_events_append_only
  BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_refuse_change();
--> statement-breakpoint
-- Monthly partitions. Rows outside every monthly partition land in the default one, so an insert
-- never fails for lack of a partition; the maintenance job creates months ahead of time.
CREATE TABLE IF NOT EXISTS audit_events_default PARTITION OF audit_events DEFAULT;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION audit_ensure_partitions(months_back integer, months_ahead integer) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  first_month date := date_trunc('month', now() AT TIME ZONE 'UTC')::date;
  m date;
  part text;
  created integer := 0;
BEGIN
  FOR i IN -months_back..months_ahead LOOP
    m := (first_month + make_interval(months => i))::date;
    part := 'audit_events_' || to_char(m, 'YYYY_MM');
    IF to_regclass(part) IS NULL THEN
      BEGIN
        EXECUTE format(
          'CREATE TABLE %I PARTITION OF audit_events FOR VALUES FROM (%L) TO (%L)',
          part,
          (m::timestamp AT TIME ZONE 'UTC'),
          ((m + interval '1 month')::timestamp AT TIME ZONE 'UTC')
        );
        created := created + 1;
      EXCEPTION WHEN check_violation THEN
        -- The default partition already holds rows of that month: they stay there.
        RAISE NOTICE 'audit partition % skipped: default partition has rows in range', part;
      END;
    END IF;
  END LOOP;
  RETURN created;
END;
$$;
--> statement-breakpoint
SELECT audit_ensure_partitions(1, 3);
