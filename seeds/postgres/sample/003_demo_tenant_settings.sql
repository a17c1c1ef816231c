-- Setting overrides for the demo tenant (defaults come from reference/001_setting_definitions.sql).

INSERT INTO core.tenant_settings AS s (tenant_id, key, value, updated_by)
VALUES
    ('00000000-0000-4000-a000-000000000001', 'locale.timezone',       '"Europe/Berlin"'::jsonb,
     '00000000-0000-4000-a000-000000000101'),
    ('00000000-0000-4000-a000-000000000001', 'ai.retrieval_top_k',    '5'::jsonb,
     '00000000-0000-4000-a000-000000000101'),
    ('00000000-0000-4000-a000-000000000001', 'storage.max_upload_mb', '200'::jsonb,
     '00000000-0000-4000-a000-000000000102')
ON CONFLICT (tenant_id, key) DO UPDATE
    SET value      = EXCLUDED.value,
        updated_by = EXCLUDED.updated_by
  WHERE (s.value, s.updated_by) IS DISTINCT FROM (EXCLUDED.value, EXCLUDED.updated_by);
