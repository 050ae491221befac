/**
 * The embedded server's postgresql.conf. PGlite writes the file at every open from this list,
 * replacing what its initdb wrote, so the list carries initdb's settings besides Portico's own.
 *
 * `shared_buffers`: PGlite reserves it inside its WebAssembly memory when it opens, and that memory
 * never shrinks. PostgreSQL's default of 128 MB made an idle embedded Portico 370 MB and its open
 * 0.3 s slower; the files are still cached by the operating system below PGlite. At 32 MB an idle
 * one is about 270 MB, and the embedded pipeline benchmark ran as fast as at 128 MB (85.9 against
 * 85.1 applied/s saturated, one run each; at 16 MB, 84.7).
 */
export function pgliteConfiguration(): string[] {
  return [
    'shared_buffers = 32MB',
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
