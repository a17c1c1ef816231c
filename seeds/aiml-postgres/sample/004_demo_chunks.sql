-- Demo chunks with small deterministic embeddings: element g (1..384) of a chunk's vector is
-- round(sin(g * freq + phase), 6). Chunks of one document share freq and differ slightly in phase, so
-- they sit near each other under cosine distance and the HNSW index has meaningful neighbours.
-- The same inputs always give the same vector, so re-running this file changes nothing.

INSERT INTO aiml.chunks AS c
       (document_id, knowledge_base_id, chunk_index, content, token_count, embedding, embedded_at, metadata)
SELECT v.document_id::uuid,
       doc.knowledge_base_id,
       v.chunk_index,
       v.content,
       array_length(regexp_split_to_array(btrim(v.content), '\s+'), 1),
       (SELECT array_agg(round(sin(g * v.freq + v.phase)::numeric, 6)::real ORDER BY g)
          FROM generate_series(1, 384) AS g)::vector(384),
       timestamptz '2025-01-01 00:00:00+00',
       jsonb_build_object('section', v.section)
  FROM (VALUES
    ('00000000-0000-4000-a000-000000000401', 0, 'Unpacking',
     'Unpack the Widget 3000 and check that the box contains the base unit, the power adapter and two mounting brackets.',
     0.050, 0.00),
    ('00000000-0000-4000-a000-000000000401', 1, 'Mounting',
     'Fix the mounting brackets to a flat wall with the supplied screws, then slide the base unit onto the brackets until it clicks.',
     0.050, 0.15),
    ('00000000-0000-4000-a000-000000000401', 2, 'First start',
     'Connect the power adapter. The status light blinks blue while the Widget 3000 starts and turns solid green when it is ready.',
     0.050, 0.30),
    ('00000000-0000-4000-a000-000000000402', 0, 'Status light',
     'A red status light means the Widget 3000 could not reach the network. Check the cable and restart the unit.',
     0.053, 0.00),
    ('00000000-0000-4000-a000-000000000402', 1, 'Factory reset',
     'To restore factory settings, hold the reset button for ten seconds until the status light blinks white.',
     0.053, 0.20),
    ('00000000-0000-4000-a000-000000000403', 0, 'Eligibility',
     'Employees may work remotely up to three days per week after their probation period, with their manager''s approval.',
     0.210, 0.00),
    ('00000000-0000-4000-a000-000000000403', 1, 'Equipment',
     'Acme provides a laptop and a monitor for remote work. Home office furniture can be claimed once every three years.',
     0.210, 0.25),
    ('00000000-0000-4000-a000-000000000404', 0, 'Booking travel',
     'Book flights and hotels through the travel portal at least fourteen days in advance. Economy class applies to flights under six hours.',
     0.330, 0.00),
    ('00000000-0000-4000-a000-000000000404', 1, 'Claiming expenses',
     'Submit expense claims with receipts within thirty days. Meals are reimbursed up to the daily allowance of the destination country.',
     0.330, 0.25)
  ) AS v (document_id, chunk_index, section, content, freq, phase)
  JOIN aiml.documents AS doc ON doc.id = v.document_id::uuid
ON CONFLICT (document_id, chunk_index) DO UPDATE
    SET knowledge_base_id = EXCLUDED.knowledge_base_id,
        content           = EXCLUDED.content,
        token_count       = EXCLUDED.token_count,
        embedding         = EXCLUDED.embedding,
        embedded_at       = EXCLUDED.embedded_at,
        metadata          = EXCLUDED.metadata
  WHERE (c.knowledge_base_id, c.content, c.token_count, c.embedding, c.embedded_at, c.metadata)
        IS DISTINCT FROM
        (EXCLUDED.knowledge_base_id, EXCLUDED.content, EXCLUDED.token_count, EXCLUDED.embedding,
         EXCLUDED.embedded_at, EXCLUDED.metadata);

-- Fill in what the ingestion pipeline derives from the chunks: the hash of the reassembled text and
-- the token total. Only rows whose values differ are touched.
UPDATE aiml.documents AS d
   SET content_sha256 = s.content_sha256,
       token_count    = s.token_count
  FROM (SELECT ch.document_id,
               encode(sha256(convert_to(string_agg(ch.content, E'\n\n' ORDER BY ch.chunk_index), 'UTF8')), 'hex')
                   AS content_sha256,
               sum(ch.token_count)::integer AS token_count
          FROM aiml.chunks AS ch
         WHERE ch.document_id IN ('00000000-0000-4000-a000-000000000401', '00000000-0000-4000-a000-000000000402',
                                  '00000000-0000-4000-a000-000000000403', '00000000-0000-4000-a000-000000000404')
         GROUP BY ch.document_id) AS s
 WHERE d.id = s.document_id
   AND (d.content_sha256, d.token_count) IS DISTINCT FROM (s.content_sha256, s.token_count);
