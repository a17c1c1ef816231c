-- Demo agents of the acme-demo tenant (tenant id matches seeds/postgres/sample/001_demo_tenant.sql).

INSERT INTO aiml.agents AS a
       (id, tenant_id, slug, name, description, model, system_prompt, temperature, max_output_tokens, tools, config, status)
VALUES
    ('00000000-0000-4000-a000-000000000201', '00000000-0000-4000-a000-000000000001',
     'support-assistant', 'Support Assistant', 'Answers customer questions from the product manuals.',
     'es1-chat-small',
     'You are Acme''s support assistant. Answer only from the retrieved manual excerpts and cite them.',
     0.20, 1024, '["knowledge_search"]'::jsonb, '{"citation_style": "inline"}'::jsonb, 'active'),
    ('00000000-0000-4000-a000-000000000202', '00000000-0000-4000-a000-000000000001',
     'policy-expert', 'HR Policy Expert', 'Explains internal HR policies to employees.',
     'es1-chat-small',
     'You explain Acme''s HR policies precisely. If a policy does not cover the question, say so.',
     0.10, 768, '["knowledge_search"]'::jsonb, '{}'::jsonb, 'active'),
    ('00000000-0000-4000-a000-000000000203', '00000000-0000-4000-a000-000000000001',
     'research-analyst', 'Research Analyst', 'Drafts summaries across all knowledge bases.',
     'es1-chat-large',
     'You write concise, sourced summaries for Acme staff.',
     0.70, 4096, '["knowledge_search", "summarize"]'::jsonb, '{"max_sources": 12}'::jsonb, 'draft')
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
