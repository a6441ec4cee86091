/**
 * Entry point of dist/server.js. The transport comes from the command line, as vscode-languageserver reads it:
 * `--node-ipc` (VS Code), `--stdio` (every other editor; also `migration-lens server --stdio`), `--socket=N`.
 */
import { ProposedFeatures, createConnection } from 'vscode-languageserver/node';
import { startServer } from './server.js';

startServer(createConnection(ProposedFeatures.all));
