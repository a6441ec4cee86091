import * as vscode from 'vscode';
import { State } from 'vscode-languageclient/node';
import { Commands, Views } from './config.js';
import { statusDetail, statusText, summarize } from './format.js';
import type { Session } from './session.js';
import type { StatusStore } from './status.js';

/** "SSOT 87%" next to the language mode of Python files; busy while a project is indexing. */
export function createLanguageStatus(store: StatusStore, session: Session): vscode.Disposable {
  const item = vscode.languages.createLanguageStatusItem('migrationLens.status', { language: 'python' });
  item.name = 'Migration Lens';
  const stateSubscriptions: vscode.Disposable[] = [];
  let state: 'starting' | 'running' | 'stopped' = 'stopped';

  const update = (): void => {
    const snapshot = store.current;
    if (state === 'stopped') {
      item.text = statusText(undefined);
      item.detail = 'server not running';
      item.busy = false;
      item.severity = vscode.LanguageStatusSeverity.Error;
      item.command = { command: Commands.showOutput, title: 'Show Output' };
      return;
    }
    item.command = { command: `${Views.status}.focus`, title: 'Open Migration Status' };
    if (state === 'starting' || !snapshot) {
      item.text = statusText(undefined);
      item.detail = 'starting';
      item.busy = true;
      item.severity = vscode.LanguageStatusSeverity.Information;
      return;
    }
    const summary = summarize(snapshot);
    item.text = statusText(summary);
    item.detail = statusDetail(summary);
    item.busy = summary.indexing !== null;
    item.severity = summary.configHasErrors ? vscode.LanguageStatusSeverity.Warning : vscode.LanguageStatusSeverity.Information;
  };

  const sessionSubscription = session.onDidCreateClient((client) => {
    for (const d of stateSubscriptions.splice(0)) d.dispose();
    state = 'starting';
    stateSubscriptions.push(
      client.onDidChangeState((event) => {
        state = event.newState === State.Running ? 'running' : event.newState === State.Starting ? 'starting' : 'stopped';
        update();
      }),
    );
    update();
  });
  const storeSubscription = store.onDidChange(update);
  update();
  return new vscode.Disposable(() => {
    for (const d of stateSubscriptions) d.dispose();
    sessionSubscription.dispose();
    storeSubscription.dispose();
    item.dispose();
  });
}
