-- The build's scratch tables and macros; the marts stay.
DROP TABLE IF EXISTS tmp_mart_line_day;
DROP TABLE IF EXISTS tmp_mart_year;
DROP TABLE IF EXISTS tmp_mart_month;
DROP TABLE IF EXISTS tmp_mart_movement;
DROP TABLE IF EXISTS tmp_mart_year_account;
DROP TABLE IF EXISTS tmp_mart_group_month;
DROP TABLE IF EXISTS tmp_mart_line_month;
DROP TABLE IF EXISTS tmp_mart_suspect_day;
DROP MACRO IF EXISTS mart_days;
DROP MACRO IF EXISTS mart_ratio;
DROP MACRO IF EXISTS mart_div_units;
