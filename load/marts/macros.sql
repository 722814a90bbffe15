-- Exact division for ratios. DuckDB divides DECIMALs as DOUBLE; these work in whole cents
-- (HUGEINT) and round half away from zero, so a ratio never passes through a float.
-- NULL when either side is NULL or the denominator is zero.
CREATE OR REPLACE TEMP MACRO mart_div_units(num, den, units) AS
  CASE WHEN num IS NULL OR den IS NULL OR den = 0 THEN NULL
  ELSE sign(num) * sign(den)
       * ((2 * abs((num::DECIMAL(38,2) * 100)::HUGEINT) * units + abs((den::DECIMAL(38,2) * 100)::HUGEINT))
          // (2 * abs((den::DECIMAL(38,2) * 100)::HUGEINT)))
  END;
-- A fraction with four decimals: 0.2534 is 25.34 %.
CREATE OR REPLACE TEMP MACRO mart_ratio(num, den) AS
  (mart_div_units(num, den, 10000)::DECIMAL(38,0) * 0.0001)::DECIMAL(18,4);
-- Days with one decimal.
CREATE OR REPLACE TEMP MACRO mart_days(num, den) AS
  (mart_div_units(num, den, 10)::DECIMAL(38,0) * 0.1)::DECIMAL(18,1);
