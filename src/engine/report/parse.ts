/**
 * Reading `report.json` for display. The file comes from the workspace, so it is checked for the
 * schema version and for the parts the viewer walks over before anything renders it; a clear
 * error names the file instead of a blank panel.
 */
import { REPORT_SCHEMA_VERSION, type Report } from '../contracts/report';

const ARRAYS = ['metrics', 'perClass', 'histograms', 'log'] as const;
const OBJECTS = ['job', 'models', 'dataset', 'timings', 'provenance'] as const;

export function parseReportJson(text: string, source: string): Report {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`${source} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${source} is not a Lethe report (not a JSON object).`);
  const record = value as Record<string, unknown>;
  if (record.schemaVersion !== REPORT_SCHEMA_VERSION) {
    throw new Error(`${source} has report schema version ${JSON.stringify(record.schemaVersion)}; this version of Lethe reads version ${REPORT_SCHEMA_VERSION}.`);
  }
  const missing = [
    ...ARRAYS.filter((key) => !Array.isArray(record[key])),
    ...OBJECTS.filter((key) => typeof record[key] !== 'object' || record[key] === null),
    ...(typeof record.name === 'string' ? [] : ['name']),
  ];
  if (missing.length > 0) throw new Error(`${source} is not a complete Lethe report: missing or malformed ${missing.join(', ')}.`);
  return value as Report;
}
