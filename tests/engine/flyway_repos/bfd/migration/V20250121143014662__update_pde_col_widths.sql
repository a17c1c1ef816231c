ALTER TABLE ccw.partd_events
ALTER COLUMN prscrbr_id type varchar(35);

ALTER TABLE ccw.partd_events
ALTER COLUMN prod_srvc_id type varchar(40);

ALTER TABLE ccw.partd_events
ALTER COLUMN submsn_clr_cd type varchar(3);
