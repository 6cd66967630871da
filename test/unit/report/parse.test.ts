import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseReportJson } from '../../../src/engine/report/parse';

const samplePath = join(__dirname, 'sample-report.json');
const sampleText = readFileSync(samplePath, 'utf8');

function withChange(change: (report: Record<string, unknown>) => void): string {
  const report = JSON.parse(sampleText) as Record<string, unknown>;
  change(report);
  return JSON.stringify(report);
}

describe('parseReportJson (reading report.json from the workspace)', () => {
  it('reads the sample report', () => {
    const report = parseReportJson(sampleText, samplePath);
    expect(report.name).toBe('Forget T-shirts (Fashion-MNIST MLP)');
    expect(report.metrics.length).toBeGreaterThan(10);
  });

  it('names the file and the problem', () => {
    expect(() => parseReportJson('{"schemaVersion": 1,', 'runs/a/report.json')).toThrow(/runs\/a\/report\.json is not valid JSON/);
    expect(() => parseReportJson('[]', 'r.json')).toThrow(/r\.json is not a Lethe report/);
    expect(() => parseReportJson(withChange((r) => (r.schemaVersion = 2)), 'r.json')).toThrow(/schema version 2; this version of Lethe reads version 1/);
    expect(() => parseReportJson(withChange((r) => delete r.metrics), 'r.json')).toThrow(/missing or malformed metrics/);
    expect(() => parseReportJson(withChange((r) => ((r.histograms = {}), (r.provenance = null))), 'r.json')).toThrow(/histograms, provenance/);
  });
});
