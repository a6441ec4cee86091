import * as path from 'node:path';
import * as vscode from 'vscode';
import { sparkline } from '../../server/src/core/history/sparkline.js';
import {
  HistoryRequest,
  OccurrencesRequest,
  type CommitPoint,
  type HistoryResponse,
  type CategoryCounts,
  type FileOccurrences,
  type Occurrence,
  type ProjectStatus,
  type StatusGroup,
} from '../../server/src/lsp/protocol.js';
import { Commands, TreeItemContext, Views } from './config.js';
import { describeCounts, escapeMarkdown, markdownCell, percent, plural, summarize } from './format.js';
import type { Output } from './output.js';
import type { Session } from './session.js';
import type { StatusStore } from './status.js';

/**
 * The Migration Status panel: [project →] migration or rule group → category → file → occurrence.
 * Groups and categories come from the status snapshot; files and occurrences are fetched when a category is
 * expanded (OccurrencesRequest) and kept until the next snapshot.
 */
export type StatusNode =
  | { kind: 'project'; project: ProjectStatus }
  | { kind: 'notice'; project: ProjectStatus; notice: 'noConfig' | 'configErrors' }
  | { kind: 'group'; project: ProjectStatus; group: StatusGroup }
  | { kind: 'category'; project: ProjectStatus; group: StatusGroup; counts: CategoryCounts }
  | { kind: 'file'; project: ProjectStatus; group: StatusGroup; category: string; file: FileOccurrences }
  | { kind: 'occurrence'; parentId: string; index: number; file: FileOccurrences; occurrence: Occurrence }
  | { kind: 'error'; parentId: string; message: string }
  | { kind: 'trend'; project: ProjectStatus }
  | { kind: 'commit'; project: ProjectStatus; point: CommitPoint }
  | { kind: 'trendInfo'; project: ProjectStatus; message: string; error: boolean };

/** Commits the trend node covers. */
export const TREND_COMMITS = 20;
/** After a status change, the trend is re-read this much later (commits come in bursts: rebase, pull, checkout). */
const TREND_REFRESH_DEBOUNCE_MS = 5000;

const SEVERITY_ICONS: Record<Occurrence['severity'], vscode.ThemeIcon> = {
  error: new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground')),
  warning: new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground')),
  info: new vscode.ThemeIcon('info', new vscode.ThemeColor('problemsInfoIcon.foreground')),
  hint: new vscode.ThemeIcon('lightbulb'),
};

export class StatusTree implements vscode.TreeDataProvider<StatusNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<StatusNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  /** Occurrences per expanded category, valid for the current snapshot only. */
  private occurrences = new Map<string, Promise<FileOccurrences[]>>();
  private readonly subscription: vscode.Disposable;
  /** History per project root, fetched when the trend node is first expanded; dropped by refreshTrends(). */
  private histories = new Map<string, Promise<HistoryResponse>>();
  /** Settled histories, for the trend node's description (getTreeItem is synchronous). */
  private settledHistories = new Map<string, HistoryResponse>();
  private trendTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly trendSubscription: vscode.Disposable;

  constructor(
    private readonly store: StatusStore,
    private readonly session: Session,
    private readonly output: Output,
  ) {
    this.subscription = store.onDidChange(() => {
      this.occurrences = new Map();
      this.changed.fire(undefined);
    });
    this.trendSubscription = store.onDidChange(() => this.scheduleTrendRefresh());
  }

  async getChildren(node?: StatusNode): Promise<StatusNode[]> {
    if (!node) {
      const projects = this.store.current?.projects ?? [];
      if (projects.length === 1) return projectChildren(projects[0]);
      return projects.map((project) => ({ kind: 'project', project }));
    }
    switch (node.kind) {
      case 'project':
        return projectChildren(node.project);
      case 'group':
        return node.group.categories
          .filter((counts) => counts.remaining > 0 || counts.migrated > 0)
          .map((counts) => ({ kind: 'category', project: node.project, group: node.group, counts }));
      case 'category':
        return this.categoryChildren(node);
      case 'trend':
        return this.trendChildren(node);
      case 'file':
        return node.file.occurrences.map((occurrence, index) => ({
          kind: 'occurrence',
          parentId: nodeId(node),
          index,
          file: node.file,
          occurrence,
        }));
      default:
        return [];
    }
  }

  getTreeItem(node: StatusNode): vscode.TreeItem {
    switch (node.kind) {
      case 'project':
        return projectItem(node.project);
      case 'notice':
        return noticeItem(node);
      case 'group':
        return groupItem(node.project, node.group, nodeId(node));
      case 'category':
        return categoryItem(node);
      case 'file':
        return fileItem(node);
      case 'occurrence':
        return occurrenceItem(node);
      case 'trend':
        return trendItem(node, this.settledHistories.get(node.project.root));
      case 'commit':
        return commitItem(node);
      case 'trendInfo':
        return trendInfoItem(node);
      case 'error': {
        const item = new vscode.TreeItem(node.message, vscode.TreeItemCollapsibleState.None);
        item.id = nodeId(node);
        item.iconPath = new vscode.ThemeIcon('error');
        item.command = { command: Commands.showOutput, title: 'Show Output' };
        return item;
      }
    }
  }

  dispose(): void {
    this.subscription.dispose();
    this.trendSubscription.dispose();
    if (this.trendTimer) clearTimeout(this.trendTimer);
    this.changed.dispose();
  }

  private async categoryChildren(node: Extract<StatusNode, { kind: 'category' }>): Promise<StatusNode[]> {
    const key = nodeId(node);
    let request = this.occurrences.get(key);
    if (!request) {
      request = this.fetchOccurrences(node);
      this.occurrences.set(key, request);
    }
    try {
      const files = await request;
      return files.map((file) => ({
        kind: 'file',
        project: node.project,
        group: node.group,
        category: node.counts.category,
        file,
      }));
    } catch (error) {
      this.occurrences.delete(key);
      this.output.log(`Could not list the usages of "${node.group.title}" (${node.counts.category}).`, error);
      return [{ kind: 'error', parentId: key, message: 'Could not list the usages (see the output)' }];
    }
  }

  /** Fetched once per project until the next refresh; an error (no git, not a repository) is a single item. */
  private async trendChildren(node: Extract<StatusNode, { kind: 'trend' }>): Promise<StatusNode[]> {
    const root = node.project.root;
    let request = this.histories.get(root);
    if (!request) {
      request = Promise.resolve().then(() => this.session.runningClient().sendRequest(HistoryRequest, { root, count: TREND_COMMITS }));
      this.histories.set(root, request);
      // The description (sparkline) is known once the history is: redraw the node then, once.
      void request.then(
        (response) => {
          if (this.histories.get(root) !== request) return;
          this.settledHistories.set(root, response);
          this.changed.fire(undefined);
        },
        () => undefined,
      );
    }
    try {
      const response = await request;
      if ('error' in response) return [{ kind: 'trendInfo', project: node.project, message: response.error, error: true }];
      const items: StatusNode[] = [...response.points].reverse().map((point) => ({ kind: 'commit', project: node.project, point }));
      if (response.truncated) items.push({ kind: 'trendInfo', project: node.project, message: response.truncated, error: false });
      return items;
    } catch (error) {
      this.histories.delete(root);
      this.output.log('Could not compute the migration trend.', error);
      return [{ kind: 'error', parentId: nodeId(node), message: 'Could not compute the trend (see the output)' }];
    }
  }

  /** Status changes come with edits and file events; the trend only changes with commits: re-read it, debounced. */
  private scheduleTrendRefresh(): void {
    if (this.histories.size === 0) return;
    if (this.trendTimer) clearTimeout(this.trendTimer);
    this.trendTimer = setTimeout(() => {
      this.trendTimer = undefined;
      this.refreshTrends();
    }, TREND_REFRESH_DEBOUNCE_MS);
  }

  /** Drops fetched histories; expanded trend nodes fetch again (the server answers from its cache while HEAD is unchanged). */
  refreshTrends(): void {
    this.histories = new Map();
    this.changed.fire(undefined);
  }

  private fetchOccurrences(node: Extract<StatusNode, { kind: 'category' }>): Promise<FileOccurrences[]> {
    return Promise.resolve().then(() =>
      this.session.runningClient().sendRequest(OccurrencesRequest, {
        root: node.project.root,
        group: node.group.id,
        category: node.counts.category,
      }),
    );
  }
}

/**
 * Creates the panel and keeps its message (indexing progress) and its badge (usages left) current.
 */
export function createStatusView(tree: StatusTree, store: StatusStore): vscode.Disposable {
  const view = vscode.window.createTreeView(Views.status, { treeDataProvider: tree, showCollapseAll: true });
  const update = (): void => {
    const snapshot = store.current;
    if (!snapshot) return;
    const summary = summarize(snapshot);
    view.message = summary.indexing
      ? `Indexing ${summary.indexing.indexed}/${summary.indexing.total} files: counts are still growing.`
      : undefined;
    view.badge = summary.remaining > 0 ? { value: summary.remaining, tooltip: `${plural(summary.remaining, 'usage')} left to migrate` } : undefined;
  };
  const subscription = store.onDidChange(update);
  update();
  return vscode.Disposable.from(view, subscription);
}

function projectChildren(project: ProjectStatus): StatusNode[] {
  const notices: StatusNode[] = [];
  // With nothing else to show, the view's welcome text (package.json viewsWelcome) offers the config instead.
  if (project.configUri === null && project.groups.length > 0) notices.push({ kind: 'notice', project, notice: 'noConfig' });
  else if (project.configHasErrors) notices.push({ kind: 'notice', project, notice: 'configErrors' });
  return [...notices, { kind: 'trend', project }, ...project.groups.map((group): StatusNode => ({ kind: 'group', project, group }))];
}

/** Unique over the whole tree and stable across snapshots, so expanded nodes stay expanded on refresh. */
function nodeId(node: StatusNode): string {
  switch (node.kind) {
    case 'project':
      return `project\0${node.project.root}`;
    case 'notice':
      return `notice\0${node.project.root}\0${node.notice}`;
    case 'group':
      return `group\0${node.project.root}\0${node.group.id}`;
    case 'category':
      return `category\0${node.project.root}\0${node.group.id}\0${node.counts.category}`;
    case 'file':
      return `file\0${node.project.root}\0${node.group.id}\0${node.category}\0${node.file.uri}`;
    case 'occurrence':
      return `${node.parentId}\0${node.index}`;
    case 'error':
      return `${node.parentId}\0error`;
    case 'trend':
      return `trend\0${node.project.root}`;
    case 'commit':
      return `trend\0${node.project.root}\0${node.point.commit}`;
    case 'trendInfo':
      return `trend\0${node.project.root}\0info`;
  }
}

function projectItem(project: ProjectStatus): vscode.TreeItem {
  const item = new vscode.TreeItem(project.name, vscode.TreeItemCollapsibleState.Expanded);
  item.id = nodeId({ kind: 'project', project });
  item.description = describeCounts(project);
  item.iconPath = new vscode.ThemeIcon('root-folder');
  const tooltip = new vscode.MarkdownString();
  tooltip.appendMarkdown(`**${escapeMarkdown(project.name)}**  \n`);
  tooltip.appendMarkdown(`${escapeMarkdown(vscode.Uri.parse(project.root).fsPath)}  \n`);
  tooltip.appendMarkdown(
    project.configUri
      ? `Config: ${escapeMarkdown(vscode.Uri.parse(project.configUri).fsPath)}${project.configHasErrors ? ' (has errors)' : ''}  \n`
      : 'No config: running on defaults  \n',
  );
  tooltip.appendMarkdown(`${plural(project.files, 'Python file')}`);
  if (project.problems > 0) tooltip.appendMarkdown(`, ${plural(project.problems, 'file')} not fully analyzed`);
  item.tooltip = tooltip;
  return item;
}

function noticeItem(node: Extract<StatusNode, { kind: 'notice' }>): vscode.TreeItem {
  if (node.notice === 'noConfig') {
    const item = new vscode.TreeItem('No config: running on defaults', vscode.TreeItemCollapsibleState.None);
    item.id = nodeId(node);
    item.description = 'Create migration-lens.toml';
    item.iconPath = new vscode.ThemeIcon('info');
    item.tooltip = 'Deprecations and canonical modules found in the code are tracked; a config adds your own.';
    item.command = { command: Commands.createConfig, title: 'Create Config' };
    return item;
  }
  const configUri = vscode.Uri.parse(node.project.configUri ?? node.project.root);
  const item = new vscode.TreeItem('The config has errors', vscode.TreeItemCollapsibleState.None);
  item.id = nodeId(node);
  item.description = path.basename(configUri.fsPath);
  item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
  item.tooltip = 'Invalid values are ignored (their defaults apply); see the Problems panel.';
  item.command = { command: 'vscode.open', title: 'Open Config', arguments: [configUri] };
  return item;
}

function groupItem(project: ProjectStatus, group: StatusGroup, id: string): vscode.TreeItem {
  const expandable = group.categories.some((c) => c.remaining > 0 || c.migrated > 0);
  const item = new vscode.TreeItem(
    group.title,
    expandable ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
  );
  item.id = id;
  item.description = describeCounts(group);
  item.iconPath =
    group.remaining === 0
      ? new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'))
      : new vscode.ThemeIcon(group.kind === 'migration' ? 'arrow-swap' : 'checklist');
  item.tooltip = groupTooltip(project, group);
  item.contextValue = `migrationLens.group.${group.kind}`;
  return item;
}

function groupTooltip(project: ProjectStatus, group: StatusGroup): vscode.MarkdownString {
  const tooltip = new vscode.MarkdownString();
  tooltip.appendMarkdown(`**${escapeMarkdown(group.title)}**  \n`);
  tooltip.appendMarkdown(`${escapeMarkdown(group.codes.join(', '))} · ${escapeMarkdown(project.name)}\n\n`);
  tooltip.appendMarkdown('| category | left | migrated | files |\n|:--|--:|--:|--:|\n');
  for (const c of group.categories) {
    tooltip.appendMarkdown(`| ${markdownCell(c.category)} | ${c.remaining} | ${c.migrated} | ${c.files} |\n`);
  }
  tooltip.appendMarkdown(`| **total** | **${group.remaining}** | **${group.migrated}** | **${group.files}** |\n`);
  return tooltip;
}

function categoryItem(node: Extract<StatusNode, { kind: 'category' }>): vscode.TreeItem {
  const { counts } = node;
  // A category with nothing left has no files to list: it shows its counts only.
  const item = new vscode.TreeItem(
    counts.category,
    counts.remaining > 0 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
  );
  item.id = nodeId(node);
  const migrated = counts.migrated > 0 ? ` · ${counts.migrated} migrated` : '';
  item.description = counts.remaining > 0 ? `${counts.remaining} left in ${plural(counts.files, 'file')}${migrated}` : `0 left${migrated}`;
  item.iconPath =
    counts.remaining > 0 ? new vscode.ThemeIcon('folder-library') : new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'));
  return item;
}

function fileItem(node: Extract<StatusNode, { kind: 'file' }>): vscode.TreeItem {
  const uri = vscode.Uri.parse(node.file.uri);
  const item = new vscode.TreeItem(uri, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = nodeId(node);
  item.label = path.posix.basename(node.file.path);
  // Without it, an expandable item with a resourceUri gets a folder icon.
  item.iconPath = vscode.ThemeIcon.File;
  const dir = path.posix.dirname(node.file.path);
  const count = String(node.file.occurrences.length);
  item.description = dir === '.' ? count : `${dir} · ${count}`;
  item.tooltip = `${node.file.path}: ${plural(node.file.occurrences.length, 'usage')} left`;
  item.contextValue = TreeItemContext.file;
  const first = node.file.occurrences[0];
  item.command = openCommand(uri, first?.range);
  return item;
}

function occurrenceItem(node: Extract<StatusNode, { kind: 'occurrence' }>): vscode.TreeItem {
  const { occurrence } = node;
  const firstLine = occurrence.message.split(/\r?\n/, 1)[0] ?? '';
  const item = new vscode.TreeItem(firstLine, vscode.TreeItemCollapsibleState.None);
  item.id = nodeId(node);
  item.description = `${occurrence.code} · Ln ${occurrence.range.start.line + 1}`;
  item.iconPath = SEVERITY_ICONS[occurrence.severity];
  item.tooltip = new vscode.MarkdownString(
    `${escapeMarkdown(occurrence.code)}: ${escapeMarkdown(occurrence.message)}  \n${escapeMarkdown(node.file.path)}:${occurrence.range.start.line + 1}`,
  );
  item.command = openCommand(vscode.Uri.parse(node.file.uri), occurrence.range);
  return item;
}

function openCommand(uri: vscode.Uri, range: Occurrence['range'] | undefined): vscode.Command {
  const options: vscode.TextDocumentShowOptions = { preview: true };
  if (range) options.selection = new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
  return { command: 'vscode.open', title: 'Open', arguments: [uri, options] };
}

function trendItem(node: Extract<StatusNode, { kind: 'trend' }>, history: HistoryResponse | undefined): vscode.TreeItem {
  const item = new vscode.TreeItem(`Trend (last ${TREND_COMMITS} commits)`, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = nodeId(node);
  item.iconPath = new vscode.ThemeIcon('graph-line');
  if (!history) {
    item.description = 'expand to compute';
    item.tooltip = 'SSOT compliance at each of the last commits (first parent), measured with today\'s config from git.';
  } else if ('error' in history) {
    item.description = 'unavailable';
    item.tooltip = history.error;
  } else {
    const last = history.points.at(-1);
    const line = sparkline(history.points.map((p) => p.compliance));
    item.description = last?.compliance != null ? `${line} ${percent(last.compliance)}` : line;
    const first = history.points[0];
    item.tooltip =
      first && last
        ? `SSOT compliance over ${plural(history.points.length, 'commit')}: ${first.compliance === null ? '—' : percent(first.compliance)} → ${last.compliance === null ? '—' : percent(last.compliance)}; ${first.remaining} → ${last.remaining} left. Measured with today's config.`
        : 'No commits.';
  }
  return item;
}

function commitItem(node: Extract<StatusNode, { kind: 'commit' }>): vscode.TreeItem {
  const { point } = node;
  const item = new vscode.TreeItem(`${point.shortCommit} ${point.subject}`, vscode.TreeItemCollapsibleState.None);
  item.id = nodeId(node);
  item.description = describeCounts(point);
  item.iconPath = new vscode.ThemeIcon('git-commit');
  const tooltip = new vscode.MarkdownString();
  tooltip.appendMarkdown(`**${escapeMarkdown(point.shortCommit)}** ${escapeMarkdown(point.subject)}  \n`);
  tooltip.appendMarkdown(`${escapeMarkdown(point.time.replace('T', ' ').replace(/\.\d+Z$/, ' UTC'))}  \n`);
  tooltip.appendMarkdown(`${point.remaining} left · ${point.migrated} migrated · ${plural(point.changedFiles, 'Python file')} changed`);
  item.tooltip = tooltip;
  return item;
}

function trendInfoItem(node: Extract<StatusNode, { kind: 'trendInfo' }>): vscode.TreeItem {
  const item = new vscode.TreeItem(node.message, vscode.TreeItemCollapsibleState.None);
  item.id = nodeId(node);
  item.iconPath = new vscode.ThemeIcon(node.error ? 'warning' : 'info');
  item.tooltip = node.message;
  return item;
}
