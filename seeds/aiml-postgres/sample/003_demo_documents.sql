-- Demo documents. content_sha256 and token_count are derived from the chunks by 004_demo_chunks.sql,
-- the way the ingestion pipeline fills them in after chunking.

INSERT INTO aiml.documents AS d
       (id, knowledge_base_id, external_ref, title, source_uri, mime_type, language, status, metadata)
VALUES
    ('00000000-0000-4000-a000-000000000401', '00000000-0000-4000-a000-000000000301',
     'manuals/widget-3000/installation.md', 'Widget 3000 Installation Guide',
     'https://docs.example.com/widget-3000/installation', 'text/markdown', 'en', 'ready',
     '{"product": "widget-3000", "version": "2.1"}'::jsonb),
    ('00000000-0000-4000-a000-000000000402', '00000000-0000-4000-a000-000000000301',
     'manuals/widget-3000/troubleshooting.md', 'Widget 3000 Troubleshooting',
     'https://docs.example.com/widget-3000/troubleshooting', 'text/markdown', 'en', 'ready',
     '{"product": "widget-3000", "version": "2.1"}'::jsonb),
    ('00000000-0000-4000-a000-000000000403', '00000000-0000-4000-a000-000000000302',
     'handbook/remote-work.md', 'Remote Work Policy',
     'https://intranet.example.com/handbook/remote-work', 'text/markdown', 'en', 'ready',
     '{"owner": "people-team", "effective": "2025-01-01"}'::jsonb),
    ('00000000-0000-4000-a000-000000000404', '00000000-0000-4000-a000-000000000302',
     'handbook/travel-expenses.md', 'Travel and Expenses Policy',
     'https://intranet.example.com/handbook/travel-expenses', 'text/markdown', 'en', 'ready',
     '{"owner": "finance", "effective": "2025-03-01"}'::jsonb)
ON CONFLICT (id) DO UPDATE
    SET knowledge_base_id = EXCLUDED.knowledge_base_id,
        external_ref      = EXCLUDED.external_ref,
        title             = EXCLUDED.title,
        source_uri        = EXCLUDED.source_uri,
        mime_type         = EXCLUDED.mime_type,
        language          = EXCLUDED.language,
        status            = EXCLUDED.status,
        metadata          = EXCLUDED.metadata
  WHERE (d.knowledge_base_id, d.external_ref, d.title, d.source_uri, d.mime_type, d.language, d.status, d.metadata)
        IS DISTINCT FROM
        (EXCLUDED.knowledge_base_id, EXCLUDED.external_ref, EXCLUDED.title, EXCLUDED.source_uri,
         EXCLUDED.mime_type, EXCLUDED.language, EXCLUDED.status, EXCLUDED.metadata);
