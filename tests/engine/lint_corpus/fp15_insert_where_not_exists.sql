-- setup: CREATE TABLE settings (key text PRIMARY KEY, value text);
INSERT INTO settings (key, value)
SELECT 'theme', 'light'
WHERE NOT EXISTS (SELECT 1 FROM settings WHERE key = 'theme');
