-- Events stored as the fold of their parts (Langfuse items) carry a batch id starting with `fold-`, and only those are
-- replaced by a newer fold: mark the folds stored before this release (every event that has parts is one).
UPDATE events SET batch_id = 'fold-' || batch_id
WHERE batch_id NOT LIKE 'fold-%'
  AND EXISTS (SELECT 1 FROM event_parts p WHERE p.project_id = events.project_id AND p.event_id = events.event_id);
