-- Built-in knowledge-graph entity types (all seed modes, production included).
-- Parents are listed in the same statement: foreign keys are checked at the end of the statement.

INSERT INTO aiml.entity_types AS e (key, label, description, parent_key, attributes_schema, is_system)
VALUES
    ('person',       'Person',       'A human being.',                                   NULL,
     '{"type": "object", "properties": {"full_name": {"type": "string"}, "email": {"type": "string"}}}'::jsonb, true),
    ('organization', 'Organization', 'A company, institution or other body.',            NULL,
     '{"type": "object", "properties": {"legal_name": {"type": "string"}}}'::jsonb, true),
    ('company',      'Company',      'A commercial organization.',                       'organization',
     '{"type": "object", "properties": {"ticker": {"type": "string"}}}'::jsonb, true),
    ('team',         'Team',         'A group of people inside an organization.',        'organization', '{}'::jsonb, true),
    ('location',     'Location',     'A place: country, city, site or address.',         NULL,
     '{"type": "object", "properties": {"country_code": {"type": "string"}}}'::jsonb, true),
    ('product',      'Product',      'A good or service offered by an organization.',    NULL,
     '{"type": "object", "properties": {"sku": {"type": "string"}}}'::jsonb, true),
    ('document',     'Document',     'A document held in a knowledge base.',             NULL, '{}'::jsonb, true),
    ('concept',      'Concept',      'An abstract idea, term or technique.',             NULL, '{}'::jsonb, true),
    ('topic',        'Topic',        'A subject area used to group documents.',          'concept',      '{}'::jsonb, true),
    ('event',        'Event',        'Something that happens at a point or span in time.', NULL,
     '{"type": "object", "properties": {"starts_at": {"type": "string", "format": "date-time"}}}'::jsonb, true)
ON CONFLICT (key) DO UPDATE
    SET label             = EXCLUDED.label,
        description       = EXCLUDED.description,
        parent_key        = EXCLUDED.parent_key,
        attributes_schema = EXCLUDED.attributes_schema,
        is_system         = EXCLUDED.is_system
  WHERE (e.label, e.description, e.parent_key, e.attributes_schema, e.is_system)
        IS DISTINCT FROM
        (EXCLUDED.label, EXCLUDED.description, EXCLUDED.parent_key, EXCLUDED.attributes_schema, EXCLUDED.is_system);
