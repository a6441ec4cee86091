/** The tool's version, shown by the CLI and written into reports. */
export const VERSION = '0.1.0';
