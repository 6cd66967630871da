/**
 * Finished runs: run folders on disk (a `report.json` beside a `provenance.json`), plus what this
 * workspace remembers about the runs it started (which file they came from and the exact spec), so
 * a run can be re-run and "Open last report" finds the right one.
 */
import * as vscode from 'vscode';
import { access, readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { JobSpec } from '../../engine/contracts/jobSpec';
import { WatchedFiles } from '../watchedFiles';

export interface RunRecord {
  runDir: string;
  label: string;
  sourceFile?: string;
  spec: JobSpec;
  baseDir: string;
  finishedAt: number;
}

export interface DiskRun {
  runDir: string;
  reportPath: string;
  name: string;
  kind: string;
  method?: string;
  createdAt: string;
  record?: RunRecord;
}

const STATE_KEY = 'lethe.runHistory';
/** Enough to re-run recent work without letting workspace state grow without bound. */
const MAX_RECORDS = 200;

export class RunHistory implements vscode.Disposable {
  private readonly reports = new WatchedFiles(['**/report.json']);
  private readonly cache = new Map<string, { mtime: number; run: DiskRun | undefined }>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly subscription = this.reports.onDidChange(() => this.changed.fire());

  constructor(private readonly state: vscode.Memento) {}

  records(): RunRecord[] {
    return this.state.get<RunRecord[]>(STATE_KEY, []);
  }

  async remember(record: RunRecord): Promise<void> {
    const rest = this.records().filter((r) => r.runDir !== record.runDir);
    await this.state.update(STATE_KEY, [record, ...rest].slice(0, MAX_RECORDS));
    await this.reports.rescan();
  }

  async forget(runDir: string): Promise<void> {
    await this.state.update(STATE_KEY, this.records().filter((r) => r.runDir !== runDir));
    await this.reports.rescan();
  }

  refresh(): Promise<void> {
    this.cache.clear();
    return this.reports.rescan();
  }

  /** Run folders on disk, newest first. */
  async runs(): Promise<DiskRun[]> {
    const records = new Map(this.records().map((r) => [resolve(r.runDir), r]));
    const runs = await Promise.all((await this.reports.list()).map((u) => this.read(u.fsPath)));
    return runs
      .filter((r): r is DiskRun => r !== undefined)
      .map((r) => ({ ...r, record: records.get(resolve(r.runDir)) }))
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  /** The newest report of a run started from this file, if its folder still exists. */
  async lastReportFor(sourceFile: string): Promise<string | undefined> {
    for (const r of this.records().filter((x) => x.sourceFile === sourceFile).sort((a, b) => b.finishedAt - a.finishedAt)) {
      const report = join(r.runDir, 'report.json');
      if (await access(report).then(() => true, () => false)) return report;
    }
    return undefined;
  }

  private async read(reportPath: string): Promise<DiskRun | undefined> {
    const mtime = await stat(reportPath).then((s) => s.mtimeMs, () => -1);
    const cached = this.cache.get(reportPath);
    if (cached?.mtime === mtime) return cached.run;
    let run: DiskRun | undefined;
    try {
      const runDir = dirname(reportPath);
      await access(join(runDir, 'provenance.json')); // only Lethe run folders
      const r = JSON.parse(await readFile(reportPath, 'utf8')) as { name?: unknown; kind?: unknown; createdAt?: unknown; method?: { name?: unknown } };
      if (typeof r.name === 'string' && typeof r.createdAt === 'string') {
        run = { runDir, reportPath, name: r.name, kind: String(r.kind ?? ''), method: typeof r.method?.name === 'string' ? r.method.name : undefined, createdAt: r.createdAt };
      }
    } catch {
      run = undefined; // not a run folder, or still being written
    }
    this.cache.set(reportPath, { mtime, run });
    return run;
  }

  dispose(): void {
    this.subscription.dispose();
    this.reports.dispose();
    this.changed.dispose();
  }
}
