-- Ids of the staged requirement strings (new or already stored).
SELECT r.id, r.text
FROM stage_requirements s
JOIN requirements r ON r.text = s.text;
