-- Run by @evidence-dev/duckdb before every source query in this folder (errors ignored, so
-- a broken macro shows up as "function does not exist" in the query that uses it).
--
-- Exact Nordic text for DECIMAL money and ratios: space as thousands separator, comma as
-- decimal mark ("-1 234 567,89"). Evidence formats numbers in the browser with SheetJS ssf,
-- which knows only "," and "." and gets money as a float, so the tables show these texts;
-- tiles and charts use the ssf formats in .evidence/customization/custom-formatting.json.
-- Digits come from HUGEINT arithmetic on the DECIMAL, never through a float; rounding is
-- DuckDB's DECIMAL round, half away from zero.
CREATE OR REPLACE TEMP MACRO nordic_digits(units) AS
  replace(format('{:,}', units::HUGEINT), ',', ' ');
-- Two decimals: 1234567.89 → '1 234 567,89'. In 64-bit arithmetic on DECIMAL(18,2), the
-- marts' money type: HUGEINT arithmetic made this the slowest part of the ledger-line source
-- (a wider value fails the cast instead of printing wrong).
CREATE OR REPLACE TEMP MACRO nordic_money(a) AS
  replace(format('{:,}', trunc(a)::BIGINT), ',', ' ') || ',' || lpad(((a - trunc(a)) * 100)::INTEGER::VARCHAR, 2, '0');
CREATE OR REPLACE TEMP MACRO nordic_amount(x) AS
  CASE WHEN x IS NULL THEN NULL ELSE
    CASE WHEN x < 0 THEN '-' ELSE '' END || nordic_money(abs(x::DECIMAL(18,2)))
  END;
-- Whole units: 1234567.50 → '1 234 568'.
CREATE OR REPLACE TEMP MACRO nordic_whole(x) AS
  CASE WHEN x IS NULL THEN NULL ELSE
    CASE WHEN round(x::DECIMAL(38,2), 0) < 0 THEN '-' ELSE '' END
    || nordic_digits(abs(round(x::DECIMAL(38,2), 0)))
  END;
-- One decimal: 42.35 → '42,4'.
CREATE OR REPLACE TEMP MACRO nordic_one(x) AS
  CASE WHEN x IS NULL THEN NULL ELSE
    CASE WHEN round(x::DECIMAL(38,4), 1) < 0 THEN '-' ELSE '' END
    || nordic_digits(trunc(abs(round(x::DECIMAL(38,4), 1))))
    || ',' || ((abs(round(x::DECIMAL(38,4), 1)) * 10)::HUGEINT % 10)::VARCHAR
  END;
-- A DECIMAL(18,4) fraction as a percentage with one decimal: 0.2534 → '25,3 %'.
CREATE OR REPLACE TEMP MACRO nordic_percent(r) AS
  CASE WHEN r IS NULL THEN NULL ELSE nordic_one(r::DECIMAL(38,4) * 100) || ' %' END;
-- Change against a previous value as a DECIMAL(18,4) fraction of its size, so that positive
-- is better on every line (income positive, costs negative): (current − previous) / |previous|.
-- In whole cents like the marts' mart_ratio (DuckDB divides DECIMALs as DOUBLE), rounded
-- half away from zero; NULL without a previous value or when it is zero.
CREATE OR REPLACE TEMP MACRO ledger_change(cur, prev) AS
  CASE WHEN cur IS NULL OR prev IS NULL OR prev = 0 THEN NULL ELSE
    (sign(cur - prev)
     * ((2 * abs(((cur - prev)::DECIMAL(38,2) * 100)::HUGEINT) * 10000 + abs((prev::DECIMAL(38,2) * 100)::HUGEINT))
        // (2 * abs((prev::DECIMAL(38,2) * 100)::HUGEINT)))
    )::DECIMAL(38,0) * 0.0001
  END::DECIMAL(18,4);
