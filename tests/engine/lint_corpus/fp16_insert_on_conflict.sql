CREATE TABLE IF NOT EXISTS feature_flags (
    name text PRIMARY KEY,
    enabled boolean NOT NULL DEFAULT false
);
INSERT INTO feature_flags (name, enabled) VALUES ('new_ui', false), ('beta_api', true)
ON CONFLICT (name) DO NOTHING;
