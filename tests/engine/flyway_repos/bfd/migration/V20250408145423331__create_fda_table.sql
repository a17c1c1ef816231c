CREATE TABLE IF NOT EXISTS ccw.fda_data
(
    code    CHARACTER VARYING,
    display CHARACTER VARYING,
    PRIMARY KEY (code)
);

