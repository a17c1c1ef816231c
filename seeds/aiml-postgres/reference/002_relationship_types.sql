-- Built-in relationship types (all seed modes). Needs reference/001_entity_types.sql.
-- A NULL source or target type means "any entity type". Inverse pairs reference each other; the
-- inverse_key foreign key is deferred to commit, so the order of rows does not matter.

INSERT INTO aiml.relationship_types AS r
       (key, label, description, source_type_key, target_type_key, cardinality, is_directed, inverse_key, is_system)
VALUES
    ('works_for',   'works for',   'A person is employed by an organization.',   'person',       'organization', 'many_to_one',  true,  'employs',     true),
    ('employs',     'employs',     'An organization employs a person.',          'organization', 'person',       'one_to_many',  true,  'works_for',   true),
    ('member_of',   'member of',   'A person belongs to a team.',                'person',       'team',         'many_to_many', true,  NULL,          true),
    ('located_in',  'located in',  'An entity is situated in a location.',       NULL,           'location',     'many_to_one',  true,  NULL,          true),
    ('part_of',     'part of',     'An entity is a component of another.',       NULL,           NULL,           'many_to_one',  true,  'has_part',    true),
    ('has_part',    'has part',    'An entity contains another as a component.', NULL,           NULL,           'one_to_many',  true,  'part_of',     true),
    ('produces',    'produces',    'An organization makes or sells a product.',  'organization', 'product',      'one_to_many',  true,  NULL,          true),
    ('authored',    'authored',    'A person wrote a document.',                 'person',       'document',     'many_to_many', true,  'authored_by', true),
    ('authored_by', 'authored by', 'A document was written by a person.',        'document',     'person',       'many_to_many', true,  'authored',    true),
    ('mentions',    'mentions',    'A document refers to an entity.',            'document',     NULL,           'many_to_many', true,  NULL,          true),
    ('about',       'about',       'A document covers a topic.',                 'document',     'topic',        'many_to_many', true,  NULL,          true),
    ('related_to',  'related to',  'A generic, undirected association.',         NULL,           NULL,           'many_to_many', false, 'related_to',  true)
ON CONFLICT (key) DO UPDATE
    SET label           = EXCLUDED.label,
        description     = EXCLUDED.description,
        source_type_key = EXCLUDED.source_type_key,
        target_type_key = EXCLUDED.target_type_key,
        cardinality     = EXCLUDED.cardinality,
        is_directed     = EXCLUDED.is_directed,
        inverse_key     = EXCLUDED.inverse_key,
        is_system       = EXCLUDED.is_system
  WHERE (r.label, r.description, r.source_type_key, r.target_type_key, r.cardinality,
         r.is_directed, r.inverse_key, r.is_system)
        IS DISTINCT FROM
        (EXCLUDED.label, EXCLUDED.description, EXCLUDED.source_type_key, EXCLUDED.target_type_key,
         EXCLUDED.cardinality, EXCLUDED.is_directed, EXCLUDED.inverse_key, EXCLUDED.is_system);
