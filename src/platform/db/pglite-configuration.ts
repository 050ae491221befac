/**
 * The embedded server's postgresql.conf. PGlite writes the file at every open from this list,
 * replacing what its initdb wrote, so the list carries initdb's settings besides Portico's own.
 *
 * `shared_buffers`: PGlite reserves it inside its WebAssembly memory when it opens, and that memory
 * never shrinks. PostgreSQL's default of 128 MB made an idle embedded Portico 370 MB and its open
 * 0.3 s slower; the files are still cached by the operating system below PGlite. At 16 MB PGlite
 * alone opens an existing database in 0.50 s against 0.63 s at 32 MB, holding 145 against 185 MB
 * (2 cores, AMD EPYC, three opens each), and the embedded pipeline benchmark ran as fast as at
 * 32 MB and 128 MB (84.7, 85.9 and 85.1 applied/s saturated, one run each).
 */
export function pgliteConfiguration(): string[] {
  return [
    'shared_buffers = 16MB',
    'wal_buffers = 1MB',
    // What initdb writes, kept.
    'max_connections = 100',
    'dynamic_shared_memory_type = posix',
    'max_wal_size = 1GB',
    'min_wal_size = 80MB',
    'log_timezone = UTC',
    'timezone = UTC',
    "datestyle = 'iso, mdy'",
    'lc_messages = C',
    'lc_monetary = C',
    'lc_numeric = C',
    'lc_time = C',
    "default_text_search_config = 'pg_catalog.english'",
  ];
}
