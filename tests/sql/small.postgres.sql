-- 小指数, written by kmgov 0.1.0 from small.toml for postgres.
-- Table "data" (wide: "district", "year", then one column per indicator).
-- normalize = "minmax", scope = "period", aggregate = "arithmetic", missing = "skip", total = "mean"; the latest period.
-- The query fails, naming the first problem, where `kmgov score` would stop.

-- kmgov statement 1 of 2: the scores, as `kmgov score --format csv` writes them
WITH
-- The rows as read: unit and period as text, indicators as numbers.
kmgov_input AS MATERIALIZED (
  SELECT
    TRIM(CAST("district" AS TEXT)) AS kmgov_unit,
    TRIM(CAST("year" AS TEXT)) AS kmgov_period,
    CAST("volunteers" AS DOUBLE PRECISION) AS "volunteers",  -- 志愿者
    CAST("wait days" AS DOUBLE PRECISION) AS "wait days",
    CAST("insurance" AS DOUBLE PRECISION) AS "insurance"
  FROM "data"
),
-- Each period label: a number? a year.month? a date natural order gets wrong?
-- Its natural-order key has every run of digits padded to the same width.
kmgov_labels AS MATERIALIZED (
  SELECT
    kmgov_period,
    CASE WHEN (kmgov_period ~ '^[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][+-]?[0-9]+)?$') THEN 1 ELSE 0 END AS kmgov_number,
    CASE WHEN (kmgov_period ~ '^[0-9]{4}[.](0?[1-9]|1[0-2])$') THEN 1 ELSE 0 END AS kmgov_year_month,
    CASE WHEN (kmgov_period ~ '(?i)(^q[1-4]([^0-9]|$))|((^|[^a-z])(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*[.]?([^a-z]|$))|([一二三四]季度)|(^[0-9]{2}年)') THEN 1 ELSE 0 END AS kmgov_odd_date,
    regexp_replace(regexp_replace(kmgov_period, '([0-9]+)', '0000000000000000000\1', 'g'), '0*([0-9]{20})', '\1', 'g') AS kmgov_natural
  FROM kmgov_input
  WHERE kmgov_period IS NOT NULL
  GROUP BY kmgov_period
),
-- The periods in kmgov's order (docs/METHODOLOGY.md, "Periods").
kmgov_periods AS MATERIALIZED (
  SELECT
    kmgov_period,
    kmgov_odd_date,
    ROW_NUMBER() OVER (ORDER BY
      CASE WHEN kmgov_all_numbers = 1 AND kmgov_all_year_months = 0 THEN CAST(kmgov_period AS DOUBLE PRECISION) END,
      CASE WHEN kmgov_all_numbers = 1 AND kmgov_all_year_months = 0 THEN kmgov_period COLLATE "C" END,
      kmgov_natural COLLATE "C",
      kmgov_period COLLATE "C"
    ) AS kmgov_order
  FROM (
    SELECT l.*,
      MIN(kmgov_number) OVER () AS kmgov_all_numbers,
      MIN(kmgov_year_month) OVER () AS kmgov_all_year_months
    FROM kmgov_labels l
  ) l
),
-- Every row with its period's place in that order.
kmgov_rows AS MATERIALIZED (
  SELECT i.*, p.kmgov_order
  FROM kmgov_input i
  JOIN kmgov_periods p ON p.kmgov_period = i.kmgov_period
),
-- The statistics of each period (scope = "period").
kmgov_stats AS MATERIALIZED (
  SELECT
    kmgov_order,
    MIN("volunteers") AS "min(volunteers)",
    MAX("volunteers") AS "max(volunteers)",
    MIN("wait days") AS "min(wait days)",
    MAX("wait days") AS "max(wait days)"
  FROM kmgov_rows
  GROUP BY kmgov_order
),
-- Each indicator's score (normalisation, §2 of docs/METHODOLOGY.md).
kmgov_scores AS MATERIALIZED (
  SELECT
    r.kmgov_unit,
    r.kmgov_period,
    r.kmgov_order,
    CASE WHEN r."volunteers" IS NULL THEN NULL WHEN s."max(volunteers)" = s."min(volunteers)" THEN 50 ELSE 100 * (r."volunteers" - s."min(volunteers)") / (s."max(volunteers)" - s."min(volunteers)") END AS "volunteers",  -- 志愿者: minmax, higher is better
    CASE WHEN r."wait days" IS NULL THEN NULL WHEN s."max(wait days)" = s."min(wait days)" THEN 50 ELSE 100 * (s."max(wait days)" - r."wait days") / (s."max(wait days)" - s."min(wait days)") END AS "wait days",  -- minmax, lower is better
    100 * CASE WHEN (r."insurance" - 80) / 20 < 0 THEN 0 WHEN (r."insurance" - 80) / 20 > 1 THEN 1 ELSE (r."insurance" - 80) / 20 END AS "insurance"  -- goalposts [80, 100], higher is better
  FROM kmgov_rows r
  JOIN kmgov_stats s ON s.kmgov_order = r.kmgov_order
),
-- The dimensions, from their children's scores.
kmgov_dimensions AS MATERIALIZED (
  SELECT
    s.kmgov_unit,
    s.kmgov_period,
    s.kmgov_order,
    (COALESCE(2.5e-1::float8 * "volunteers", 0) + COALESCE(7.5e-1::float8 * "wait days", 0)) / NULLIF(CASE WHEN "volunteers" IS NULL THEN 0 ELSE 2.5e-1::float8 END + CASE WHEN "wait days" IS NULL THEN 0 ELSE 7.5e-1::float8 END, 0) AS "vitality",  -- 社会活力: arithmetic
    (COALESCE(1 * "insurance", 0)) / NULLIF(CASE WHEN "insurance" IS NULL THEN 0 ELSE 1 END, 0) AS "services"  -- arithmetic
  FROM kmgov_scores s
),
-- The composite: arithmetic aggregation of the dimensions.
kmgov_composite AS MATERIALIZED (
  SELECT d.*,
    (COALESCE(3.333333333333333e-1::float8 * "vitality", 0) + COALESCE(6.666666666666666e-1::float8 * "services", 0)) / NULLIF(CASE WHEN "vitality" IS NULL THEN 0 ELSE 3.333333333333333e-1::float8 END + CASE WHEN "services" IS NULL THEN 0 ELSE 6.666666666666666e-1::float8 END, 0) AS kmgov_composite
  FROM kmgov_dimensions d
),
-- Everything that would stop `kmgov score`, one message per problem.
kmgov_problems AS MATERIALIZED (
  SELECT 'kmgov: ' || 'a row has no unit (column district) or no period (column year): ' || COALESCE(kmgov_unit, '') || ' / ' || COALESCE(kmgov_period, '') AS kmgov_problem
  FROM kmgov_input
  WHERE kmgov_unit IS NULL OR kmgov_unit = '' OR kmgov_period IS NULL OR kmgov_period = ''
  UNION ALL
  SELECT 'kmgov: ' || 'unit ' || COALESCE(kmgov_unit, '') || ', period ' || COALESCE(kmgov_period, '') || ' has ' || COALESCE(CAST(COUNT(*) AS TEXT), '') || ' rows; keep one row per unit and period' AS kmgov_problem
  FROM kmgov_input
  GROUP BY kmgov_unit, kmgov_period
  HAVING COUNT(*) > 1
  UNION ALL
  SELECT 'kmgov: ' || 'period ' || COALESCE(kmgov_period, '') || ' is a date that kmgov orders by date and this query cannot (a quarter or month named first, a month name, 一季度, a two-digit year); store periods as 2019Q1, 2019-01 or 2019-01-31' AS kmgov_problem
  FROM kmgov_periods
  WHERE kmgov_odd_date = 1
),
-- How many problems, and the first.
kmgov_check AS MATERIALIZED (
  SELECT COUNT(*) AS kmgov_problems, MIN(kmgov_problem) AS kmgov_first
  FROM kmgov_problems
),
-- Competition ranks within each period: 1 is the highest composite, ties share the lowest rank.
kmgov_ranked AS MATERIALIZED (
  SELECT c.*,
    CASE WHEN kmgov_composite IS NULL THEN NULL
      ELSE RANK() OVER (PARTITION BY kmgov_order ORDER BY kmgov_composite DESC NULLS LAST) END AS kmgov_rank
  FROM kmgov_composite c
),
-- Each unit's previous period in the data, and rounding noise: 1e-12 of the largest composite.
kmgov_changes AS MATERIALIZED (
  SELECT r.*,
    LAG(kmgov_composite) OVER (PARTITION BY kmgov_unit ORDER BY kmgov_order) AS kmgov_previous,
    LAG(kmgov_rank) OVER (PARTITION BY kmgov_unit ORDER BY kmgov_order) AS kmgov_previous_rank,
    1e-12::float8 * MAX(ABS(kmgov_composite)) OVER () AS kmgov_noise
  FROM kmgov_ranked r
)
SELECT
  kmgov_period AS "period",
  kmgov_rank AS "rank",
  kmgov_unit AS "unit",
  kmgov_composite AS "composite",
  "vitality",
  "services",
  kmgov_composite - kmgov_previous AS "change",
  CASE WHEN kmgov_previous > kmgov_noise THEN 100 * (kmgov_composite - kmgov_previous) / kmgov_previous END AS "pct_change",
  kmgov_previous_rank - kmgov_rank AS "rank_change"
FROM kmgov_changes
CROSS JOIN kmgov_check c
WHERE CASE WHEN c.kmgov_problems = 0 THEN 1 ELSE CAST(c.kmgov_first || ' (' || CAST(c.kmgov_problems AS TEXT) || ' problem(s) in all; `kmgov check` lists them for a CSV)' AS DOUBLE PRECISION) END = 1
  AND kmgov_order = (SELECT MAX(kmgov_order) FROM kmgov_periods)
ORDER BY kmgov_order, kmgov_rank NULLS LAST, kmgov_unit COLLATE "C";

-- kmgov statement 2 of 2: each period's total, as the `total` row of `kmgov score --total-row`
WITH
-- The rows as read: unit and period as text, indicators as numbers.
kmgov_input AS MATERIALIZED (
  SELECT
    TRIM(CAST("district" AS TEXT)) AS kmgov_unit,
    TRIM(CAST("year" AS TEXT)) AS kmgov_period,
    CAST("volunteers" AS DOUBLE PRECISION) AS "volunteers",  -- 志愿者
    CAST("wait days" AS DOUBLE PRECISION) AS "wait days",
    CAST("insurance" AS DOUBLE PRECISION) AS "insurance"
  FROM "data"
),
-- Each period label: a number? a year.month? a date natural order gets wrong?
-- Its natural-order key has every run of digits padded to the same width.
kmgov_labels AS MATERIALIZED (
  SELECT
    kmgov_period,
    CASE WHEN (kmgov_period ~ '^[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][+-]?[0-9]+)?$') THEN 1 ELSE 0 END AS kmgov_number,
    CASE WHEN (kmgov_period ~ '^[0-9]{4}[.](0?[1-9]|1[0-2])$') THEN 1 ELSE 0 END AS kmgov_year_month,
    CASE WHEN (kmgov_period ~ '(?i)(^q[1-4]([^0-9]|$))|((^|[^a-z])(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*[.]?([^a-z]|$))|([一二三四]季度)|(^[0-9]{2}年)') THEN 1 ELSE 0 END AS kmgov_odd_date,
    regexp_replace(regexp_replace(kmgov_period, '([0-9]+)', '0000000000000000000\1', 'g'), '0*([0-9]{20})', '\1', 'g') AS kmgov_natural
  FROM kmgov_input
  WHERE kmgov_period IS NOT NULL
  GROUP BY kmgov_period
),
-- The periods in kmgov's order (docs/METHODOLOGY.md, "Periods").
kmgov_periods AS MATERIALIZED (
  SELECT
    kmgov_period,
    kmgov_odd_date,
    ROW_NUMBER() OVER (ORDER BY
      CASE WHEN kmgov_all_numbers = 1 AND kmgov_all_year_months = 0 THEN CAST(kmgov_period AS DOUBLE PRECISION) END,
      CASE WHEN kmgov_all_numbers = 1 AND kmgov_all_year_months = 0 THEN kmgov_period COLLATE "C" END,
      kmgov_natural COLLATE "C",
      kmgov_period COLLATE "C"
    ) AS kmgov_order
  FROM (
    SELECT l.*,
      MIN(kmgov_number) OVER () AS kmgov_all_numbers,
      MIN(kmgov_year_month) OVER () AS kmgov_all_year_months
    FROM kmgov_labels l
  ) l
),
-- Every row with its period's place in that order.
kmgov_rows AS MATERIALIZED (
  SELECT i.*, p.kmgov_order
  FROM kmgov_input i
  JOIN kmgov_periods p ON p.kmgov_period = i.kmgov_period
),
-- The statistics of each period (scope = "period").
kmgov_stats AS MATERIALIZED (
  SELECT
    kmgov_order,
    MIN("volunteers") AS "min(volunteers)",
    MAX("volunteers") AS "max(volunteers)",
    MIN("wait days") AS "min(wait days)",
    MAX("wait days") AS "max(wait days)"
  FROM kmgov_rows
  GROUP BY kmgov_order
),
-- Each indicator's score (normalisation, §2 of docs/METHODOLOGY.md).
kmgov_scores AS MATERIALIZED (
  SELECT
    r.kmgov_unit,
    r.kmgov_period,
    r.kmgov_order,
    CASE WHEN r."volunteers" IS NULL THEN NULL WHEN s."max(volunteers)" = s."min(volunteers)" THEN 50 ELSE 100 * (r."volunteers" - s."min(volunteers)") / (s."max(volunteers)" - s."min(volunteers)") END AS "volunteers",  -- 志愿者: minmax, higher is better
    CASE WHEN r."wait days" IS NULL THEN NULL WHEN s."max(wait days)" = s."min(wait days)" THEN 50 ELSE 100 * (s."max(wait days)" - r."wait days") / (s."max(wait days)" - s."min(wait days)") END AS "wait days",  -- minmax, lower is better
    100 * CASE WHEN (r."insurance" - 80) / 20 < 0 THEN 0 WHEN (r."insurance" - 80) / 20 > 1 THEN 1 ELSE (r."insurance" - 80) / 20 END AS "insurance"  -- goalposts [80, 100], higher is better
  FROM kmgov_rows r
  JOIN kmgov_stats s ON s.kmgov_order = r.kmgov_order
),
-- The dimensions, from their children's scores.
kmgov_dimensions AS MATERIALIZED (
  SELECT
    s.kmgov_unit,
    s.kmgov_period,
    s.kmgov_order,
    (COALESCE(2.5e-1::float8 * "volunteers", 0) + COALESCE(7.5e-1::float8 * "wait days", 0)) / NULLIF(CASE WHEN "volunteers" IS NULL THEN 0 ELSE 2.5e-1::float8 END + CASE WHEN "wait days" IS NULL THEN 0 ELSE 7.5e-1::float8 END, 0) AS "vitality",  -- 社会活力: arithmetic
    (COALESCE(1 * "insurance", 0)) / NULLIF(CASE WHEN "insurance" IS NULL THEN 0 ELSE 1 END, 0) AS "services"  -- arithmetic
  FROM kmgov_scores s
),
-- The composite: arithmetic aggregation of the dimensions.
kmgov_composite AS MATERIALIZED (
  SELECT d.*,
    (COALESCE(3.333333333333333e-1::float8 * "vitality", 0) + COALESCE(6.666666666666666e-1::float8 * "services", 0)) / NULLIF(CASE WHEN "vitality" IS NULL THEN 0 ELSE 3.333333333333333e-1::float8 END + CASE WHEN "services" IS NULL THEN 0 ELSE 6.666666666666666e-1::float8 END, 0) AS kmgov_composite
  FROM kmgov_dimensions d
),
-- Everything that would stop `kmgov score`, one message per problem.
kmgov_problems AS MATERIALIZED (
  SELECT 'kmgov: ' || 'a row has no unit (column district) or no period (column year): ' || COALESCE(kmgov_unit, '') || ' / ' || COALESCE(kmgov_period, '') AS kmgov_problem
  FROM kmgov_input
  WHERE kmgov_unit IS NULL OR kmgov_unit = '' OR kmgov_period IS NULL OR kmgov_period = ''
  UNION ALL
  SELECT 'kmgov: ' || 'unit ' || COALESCE(kmgov_unit, '') || ', period ' || COALESCE(kmgov_period, '') || ' has ' || COALESCE(CAST(COUNT(*) AS TEXT), '') || ' rows; keep one row per unit and period' AS kmgov_problem
  FROM kmgov_input
  GROUP BY kmgov_unit, kmgov_period
  HAVING COUNT(*) > 1
  UNION ALL
  SELECT 'kmgov: ' || 'period ' || COALESCE(kmgov_period, '') || ' is a date that kmgov orders by date and this query cannot (a quarter or month named first, a month name, 一季度, a two-digit year); store periods as 2019Q1, 2019-01 or 2019-01-31' AS kmgov_problem
  FROM kmgov_periods
  WHERE kmgov_odd_date = 1
),
-- How many problems, and the first.
kmgov_check AS MATERIALIZED (
  SELECT COUNT(*) AS kmgov_problems, MIN(kmgov_problem) AS kmgov_first
  FROM kmgov_problems
),
-- Each period's total and dimension totals (total = "mean").
kmgov_totals AS MATERIALIZED (
  SELECT
    kmgov_order,
    MIN(kmgov_period) AS kmgov_period,
    AVG(kmgov_composite) AS kmgov_total,
    AVG("vitality") AS "vitality",
    AVG("services") AS "services"
  FROM kmgov_composite
  GROUP BY kmgov_order
),
-- The previous period's total, and rounding noise as for the units.
kmgov_total_changes AS MATERIALIZED (
  SELECT t.*,
    LAG(kmgov_total) OVER (ORDER BY kmgov_order) AS kmgov_previous,
    (SELECT 1e-12::float8 * MAX(ABS(kmgov_composite)) FROM kmgov_composite) AS kmgov_noise
  FROM kmgov_totals t
)
SELECT
  kmgov_period AS "period",
  CAST(NULL AS BIGINT) AS "rank",
  'total' AS "unit",
  kmgov_total AS "composite",
  "vitality",
  "services",
  kmgov_total - kmgov_previous AS "change",
  CASE WHEN kmgov_previous > kmgov_noise THEN 100 * (kmgov_total - kmgov_previous) / kmgov_previous END AS "pct_change",
  CAST(NULL AS BIGINT) AS "rank_change"
FROM kmgov_total_changes
CROSS JOIN kmgov_check c
WHERE CASE WHEN c.kmgov_problems = 0 THEN 1 ELSE CAST(c.kmgov_first || ' (' || CAST(c.kmgov_problems AS TEXT) || ' problem(s) in all; `kmgov check` lists them for a CSV)' AS DOUBLE PRECISION) END = 1
  AND kmgov_order = (SELECT MAX(kmgov_order) FROM kmgov_periods)
ORDER BY kmgov_order;
