// DuckDB allocates through its own jemalloc, which keeps the pages it freed for a second, and
// then a second more as "muzzy" pages the kernel may take back but that still count as
// resident. Given back after 100 ms, without the muzzy second, a 200 MB SAF-T import's peak
// was ~25 MB lower at its highest (415 -> 387 MB over runs) with the marts rebuild as fast
// as before; at 0 ms it was another ~10 MB lower, but the rebuild took 10-15% longer.
// jemalloc reads this once, when DuckDB's library loads, so this module is imported before
// anything of DuckDB; a value already in the environment wins.
process.env['DUCKDB_JE_MALLOC_CONF'] ??= 'dirty_decay_ms:100,muzzy_decay_ms:0';
