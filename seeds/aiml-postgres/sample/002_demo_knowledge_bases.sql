-- Demo knowledge bases of the acme-demo tenant and which agents retrieve from them.

INSERT INTO aiml.knowledge_bases AS kb
       (id, tenant_id, slug, name, description, chunk_size, chunk_overlap, status)
VALUES
    ('00000000-0000-4000-a000-000000000301', '00000000-0000-4000-a000-000000000001',
     'product-manuals', 'Product Manuals', 'Installation and troubleshooting guides for Acme products.', 512, 64, 'active'),
    ('00000000-0000-4000-a000-000000000302', '00000000-0000-4000-a000-000000000001',
     'hr-policies', 'HR Policies', 'Employee handbook and policy documents.', 384, 32, 'active')
ON CONFLICT (id) DO UPDATE
    SET tenant_id     = EXCLUDED.tenant_id,
        slug          = EXCLUDED.slug,
        name          = EXCLUDED.name,
        description   = EXCLUDED.description,
        chunk_size    = EXCLUDED.chunk_size,
        chunk_overlap = EXCLUDED.chunk_overlap,
        status        = EXCLUDED.status
  WHERE (kb.tenant_id, kb.slug, kb.name, kb.description, kb.chunk_size, kb.chunk_overlap, kb.status)
        IS DISTINCT FROM
        (EXCLUDED.tenant_id, EXCLUDED.slug, EXCLUDED.name, EXCLUDED.description, EXCLUDED.chunk_size,
         EXCLUDED.chunk_overlap, EXCLUDED.status);

INSERT INTO aiml.agent_knowledge_bases AS l (agent_id, knowledge_base_id, priority)
VALUES
    ('00000000-0000-4000-a000-000000000201', '00000000-0000-4000-a000-000000000301', 10),
    ('00000000-0000-4000-a000-000000000202', '00000000-0000-4000-a000-000000000302', 10),
    ('00000000-0000-4000-a000-000000000203', '00000000-0000-4000-a000-000000000301', 20),
    ('00000000-0000-4000-a000-000000000203', '00000000-0000-4000-a000-000000000302', 30)
ON CONFLICT (agent_id, knowledge_base_id) DO UPDATE
    SET priority = EXCLUDED.priority
  WHERE l.priority IS DISTINCT FROM EXCLUDED.priority;
