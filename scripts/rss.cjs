// Preloaded into benchmarked processes: reports their peak RSS (KB) on stderr at exit.
process.on('exit', () => process.stderr.write(`\nML_MAX_RSS_KB=${process.resourceUsage().maxRSS}\n`));
