-- Fewer D1 rows written per event (docs/SCALING.md §2.5, issue 29): every index entry of an inserted event counts as a
-- row written. The events' index by (project, time) served only the rollups rebuilt hour by hour from their events
-- (deletions on request, replaced Langfuse folds, cost recomputes) and the recompute's paging by time: the rollups are
-- now adjusted by difference (what the changed events counted taken away, what they count added) and the recompute
-- pages by the events' key, so it goes. Dropping an index frees its pages without reading the table's rows.
DROP INDEX IF EXISTS `events_project_ts`;
