-- Customer-specific configuration example (seed mode full): Globex's IT helpdesk agent and its
-- runbook knowledge base (tenant id matches seeds/postgres/customer/001_globex_tenant.sql).
-- Documents are ingested by the customer at run time, so none are seeded here.

INSERT INTO aiml.agents AS a
       (id, tenant_id, slug, name, description, model, system_prompt, temperature, max_output_tokens, tools, config, status)
VALUES
    ('00000000-0000-4000-b000-000000000201', '00000000-0000-4000-b000-000000000001',
     'globex-helpdesk', 'Globex IT Helpdesk', 'First-line IT support for Globex employees.',
     'es1-chat-large',
     'You are the Globex IT helpdesk. Follow the runbooks exactly; escalate anything involving credentials to a human.',
     0.00, 2048, '["knowledge_search", "create_ticket"]'::jsonb,
     '{"escalation_queue": "it-l2", "business_hours": "America/New_York 08:00-18:00"}'::jsonb, 'active')
ON CONFLICT (id) DO UPDATE
    SET tenant_id         = EXCLUDED.tenant_id,
        slug              = EXCLUDED.slug,
        name              = EXCLUDED.name,
        description       = EXCLUDED.description,
        model             = EXCLUDED.model,
        system_prompt     = EXCLUDED.system_prompt,
        temperature       = EXCLUDED.temperature,
        max_output_tokens = EXCLUDED.max_output_tokens,
        tools             = EXCLUDED.tools,
        config            = EXCLUDED.config,
        status            = EXCLUDED.status
  WHERE (a.tenant_id, a.slug, a.name, a.description, a.model, a.system_prompt, a.temperature,
         a.max_output_tokens, a.tools, a.config, a.status)
        IS DISTINCT FROM
        (EXCLUDED.tenant_id, EXCLUDED.slug, EXCLUDED.name, EXCLUDED.description, EXCLUDED.model,
         EXCLUDED.system_prompt, EXCLUDED.temperature, EXCLUDED.max_output_tokens, EXCLUDED.tools,
         EXCLUDED.config, EXCLUDED.status);

INSERT INTO aiml.knowledge_bases AS kb
       (id, tenant_id, slug, name, description, chunk_size, chunk_overlap, status)
VALUES
    ('00000000-0000-4000-b000-000000000301', '00000000-0000-4000-b000-000000000001',
     'it-runbooks', 'IT Runbooks', 'Step-by-step procedures of the Globex IT department.', 768, 96, 'active')
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
    ('00000000-0000-4000-b000-000000000201', '00000000-0000-4000-b000-000000000301', 10)
ON CONFLICT (agent_id, knowledge_base_id) DO UPDATE
    SET priority = EXCLUDED.priority
  WHERE l.priority IS DISTINCT FROM EXCLUDED.priority;
