ALTER TABLE rda.mcs_tags VALIDATE CONSTRAINT mcs_tags_clm_id_fkey;
ALTER TABLE rda.fiss_tags VALIDATE CONSTRAINT fiss_tags_clm_id_fkey;
