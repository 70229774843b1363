-- Stores requirement strings not stored yet (sorted, so concurrent writers take index locks in
-- one order and cannot deadlock). An existing string is never rewritten: parsing is a pure
-- function of the text.
INSERT INTO requirements (text, target, extras, specifier, ranges, marker, url, invalid)
SELECT DISTINCT ON (text) text, target, extras, specifier, ranges, marker, url, invalid
FROM stage_requirements
ORDER BY text
ON CONFLICT (text) DO NOTHING;
